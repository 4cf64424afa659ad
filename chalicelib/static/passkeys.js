// Passkeys (WebAuthn) for the sign-in, two-factor and Security pages.
//
// Each page marks a block with data-passkey-register, data-passkey-signin or
// data-passkey-second-factor. Its button stays disabled, with a note saying it
// needs JavaScript, until this script finds WebAuthn and the right origin.
// The server's options arrive as JSON (base64url strings); the browser's answer
// goes back in the PublicKeyCredential.toJSON() shape.
(function () {
  "use strict";

  function toBytes(b64url) {
    var b64 = b64url.replace(/-/g, "+").replace(/_/g, "/");
    var text = atob(b64 + "===".slice((b64.length + 3) % 4));
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i += 1) { bytes[i] = text.charCodeAt(i); }
    return bytes.buffer;
  }

  function toB64url(buffer) {
    var bytes = new Uint8Array(buffer), text = "";
    for (var i = 0; i < bytes.length; i += 1) { text += String.fromCharCode(bytes[i]); }
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (d) {
      return { type: d.type, id: toBytes(d.id), transports: d.transports };
    });
  }

  function creationOptions(o) {
    var opts = Object.assign({}, o);
    opts.challenge = toBytes(o.challenge);
    opts.user = Object.assign({}, o.user, { id: toBytes(o.user.id) });
    opts.excludeCredentials = descriptors(o.excludeCredentials);
    return opts;
  }

  function requestOptions(o) {
    var opts = Object.assign({}, o);
    opts.challenge = toBytes(o.challenge);
    opts.allowCredentials = descriptors(o.allowCredentials);
    return opts;
  }

  function credentialJSON(cred) {
    if (typeof cred.toJSON === "function") { return cred.toJSON(); }
    var r = cred.response, response = { clientDataJSON: toB64url(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toB64url(r.attestationObject);
      response.transports = typeof r.getTransports === "function" ? r.getTransports() : [];
    } else {
      response.authenticatorData = toB64url(r.authenticatorData);
      response.signature = toB64url(r.signature);
      if (r.userHandle) { response.userHandle = toB64url(r.userHandle); }
    }
    return { id: cred.id, rawId: toB64url(cred.rawId), type: cred.type, response: response,
             authenticatorAttachment: cred.authenticatorAttachment || null,
             clientExtensionResults: cred.getClientExtensionResults() };
  }

  function post(path, body, csrf) {
    var headers = { "Content-Type": "application/json" };
    if (csrf) { headers["X-CSRF-Token"] = csrf; }
    return fetch(path, { method: "POST", headers: headers, credentials: "same-origin",
                         body: JSON.stringify(body || {}) })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (data) {
          if (!res.ok) {
            throw new Error(data.error_description || "Something went wrong. Try again.");
          }
          return data;
        });
      });
  }

  function failure(err) {
    if (err && (err.name === "NotAllowedError" || err.name === "AbortError")) {
      return "The passkey request was cancelled or timed out. Try again.";
    }
    if (err && err.name === "InvalidStateError") {
      return "This device already holds a passkey for your account.";
    }
    return (err && err.message) || "Something went wrong. Try again.";
  }

  // One WebAuthn request at a time: a click cancels the waiting autofill request.
  var pendingAutofill = null;

  function setUp(block, run) {
    var button = block.querySelector("[data-passkey-action]");
    var status = block.querySelector("[data-passkey-status]");
    var origin = block.getAttribute("data-passkey-origin");
    if (!button || !status) { return; }
    if (!window.PublicKeyCredential || !navigator.credentials) {
      status.textContent = "This browser does not support passkeys.";
      return;
    }
    if (origin && origin !== window.location.origin) {
      status.textContent = "Passkeys work at " + origin + " (browsers refuse them on an IP address). ";
      var link = document.createElement("a");
      link.href = origin + window.location.pathname;
      link.textContent = "Open this page there";
      status.appendChild(link);
      return;
    }
    button.disabled = false;
    status.textContent = "";
    button.addEventListener("click", function () {
      if (pendingAutofill) { pendingAutofill.abort(); pendingAutofill = null; }
      button.disabled = true;
      status.textContent = "Follow your browser's prompt…";
      run(block).then(function (message) {
        if (message) { status.textContent = message; }
      }, function (err) {
        status.textContent = failure(err);
      }).then(function () { button.disabled = false; });
    });
  }

  function go(path) { window.location.assign(path || "/settings/api"); }

  function register(block) {
    var csrf = block.getAttribute("data-csrf");
    var nameInput = block.querySelector("input");
    return post("/account/passkeys/options", {}, csrf).then(function (options) {
      return navigator.credentials.create({ publicKey: creationOptions(options) });
    }).then(function (cred) {
      var body = { credential: credentialJSON(cred) };
      if (nameInput && nameInput.value.trim()) { body.name = nameInput.value.trim(); }
      return post("/account/passkeys", body, csrf);
    }).then(function () {
      go("/settings/security?notice=passkey_added#passkeys");
    });
  }

  function signIn(block, mediation, signal) {
    return post("/login/passkey/options", {}).then(function (options) {
      var request = { publicKey: requestOptions(options) };
      if (mediation) { request.mediation = mediation; request.signal = signal; }
      return navigator.credentials.get(request);
    }).then(function (cred) {
      return post("/login/passkey", { credential: credentialJSON(cred),
                                      next: block.getAttribute("data-next") || undefined });
    }).then(function (data) { go(data.next); });
  }

  function secondFactor(block) {
    var csrf = block.getAttribute("data-csrf");
    return post("/login/2fa/passkey/options", {}, csrf).then(function (options) {
      return navigator.credentials.get({ publicKey: requestOptions(options) });
    }).then(function (cred) {
      return post("/login/2fa", { credential: credentialJSON(cred) }, csrf);
    }).then(function () { go(block.getAttribute("data-next")); });
  }

  // Browser autofill (conditional mediation): passkeys offered in the email field's suggestions.
  function autofill(block) {
    var check = window.PublicKeyCredential && PublicKeyCredential.isConditionalMediationAvailable;
    if (typeof check !== "function" || block.getAttribute("data-passkey-origin") !== window.location.origin) {
      return;
    }
    check.call(PublicKeyCredential).then(function (available) {
      if (!available) { return; }
      pendingAutofill = new AbortController();
      signIn(block, "conditional", pendingAutofill.signal).catch(function () { return null; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var register_ = document.querySelector("[data-passkey-register]");
    var signin = document.querySelector("[data-passkey-signin]");
    var second = document.querySelector("[data-passkey-second-factor]");
    if (register_) { setUp(register_, register); }
    if (signin) {
      setUp(signin, function (b) { return signIn(b); });
      autofill(signin);
    }
    if (second) { setUp(second, secondFactor); }
  });
}());

// Progressive enhancement only: every page works without this file.
//
// Copy buttons: <button data-copy="ID" hidden> copies the value (or visible text)
// of the element #ID and reports it in #ID-status. They stay hidden without JavaScript,
// where the text can still be selected and copied by hand.
(function () {
  "use strict";

  function textOf(target) {
    return "value" in target && typeof target.value === "string" ? target.value : target.innerText;
  }

  function fallbackCopy(target) {
    var range = document.createRange();
    if (typeof target.select === "function") {
      target.select();
    } else {
      range.selectNodeContents(target);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
    }
    try {
      return document.execCommand("copy");
    } catch (err) {
      return false;
    }
  }

  function announce(id, message) {
    var status = document.getElementById(id + "-status");
    if (status) {
      status.textContent = message;
    }
  }

  function setUp(button) {
    var id = button.getAttribute("data-copy");
    var target = document.getElementById(id);
    if (!target) {
      return;
    }
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () {
        button.textContent = "Copied";
        announce(id, "Copied to the clipboard.");
        window.setTimeout(function () { button.textContent = label; }, 2000);
      };
      var failed = function () {
        if (fallbackCopy(target)) {
          done();
        } else {
          announce(id, "Could not copy automatically: select the text and copy it by hand.");
        }
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(textOf(target)).then(done, failed);
      } else {
        failed();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), setUp);
  });
}());

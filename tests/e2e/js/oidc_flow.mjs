// Discovery -> authorization code + PKCE -> id_token validation -> userinfo, with panva's
// oauth4webapi, unmodified. The Python test plays the user's browser: this script prints
// {"authorization_url"} and reads the callback URL the browser was sent to on stdin, then
// prints {"claims", "userinfo", "scope"} (or {"error"}).
// Usage: node oidc_flow.mjs <issuer> <client_id> <redirect_uri>
import * as oauth from 'oauth4webapi'
import { createInterface } from 'node:readline'
import { webcrypto } from 'node:crypto'

const [issuerUrl, clientId, redirectUri] = process.argv.slice(2)
const insecure = { [oauth.allowInsecureRequests]: true } // the local stack is http on loopback
const issuer = new URL(issuerUrl)

async function readLine () {
  const rl = createInterface({ input: process.stdin })
  for await (const line of rl) { rl.close(); return line.trim() }
}

// The id_token's ES256 signature, checked against the published JWKS (WebCrypto, nothing else).
async function verifySignature (as, idToken) {
  const [h, p, s] = idToken.split('.')
  const header = JSON.parse(Buffer.from(h, 'base64url'))
  const jwks = await (await fetch(as.jwks_uri)).json()
  const jwk = jwks.keys.find((k) => k.kid === header.kid)
  if (header.alg !== 'ES256' || !jwk) throw new Error('id_token: unexpected alg or unknown kid')
  const key = await webcrypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify'])
  const ok = await webcrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key,
    Buffer.from(s, 'base64url'), Buffer.from(`${h}.${p}`))
  if (!ok) throw new Error('id_token: bad signature')
}

try {
  const as = await oauth.processDiscoveryResponse(issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }))
  const client = { client_id: clientId }
  const clientAuth = oauth.None()
  const codeVerifier = oauth.generateRandomCodeVerifier()
  const codeChallenge = await oauth.calculatePKCECodeChallenge(codeVerifier)
  const nonce = oauth.generateRandomNonce()
  const state = oauth.generateRandomState()
  const url = new URL(as.authorization_endpoint)
  for (const [k, v] of Object.entries({
    client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope: 'openid email read',
    code_challenge: codeChallenge, code_challenge_method: 'S256', nonce, state
  })) url.searchParams.set(k, v)
  console.log(JSON.stringify({ authorization_url: url.href }))

  const callback = new URL(await readLine())
  const params = oauth.validateAuthResponse(as, client, callback, state) // checks state and iss (RFC 9207)
  const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, redirectUri,
    codeVerifier, insecure)
  const result = await oauth.processAuthorizationCodeResponse(as, client, response,
    { expectedNonce: nonce, requireIdToken: true }) // iss, aud, exp, iat, nonce, alg
  await verifySignature(as, result.id_token)
  const claims = oauth.getValidatedIdTokenClaims(result)
  const userinfo = await oauth.processUserInfoResponse(as, client, claims.sub,
    await oauth.userInfoRequest(as, client, result.access_token, insecure)) // sub must match
  console.log(JSON.stringify({ claims, userinfo, scope: result.scope }))
} catch (error) {
  console.log(JSON.stringify({ error: `${error.name}: ${error.message}`, cause: String(error.cause ?? '') }))
  process.exitCode = 1
}

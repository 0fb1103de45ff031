#!/usr/bin/env node
// In-memory stand-in for Entra ID (client-credentials tokens; a user sign-in with the authorization code flow and
// PKCE for the self-service page), Microsoft Graph's Intune managedDevices (get, list, remoteLock) and a developer
// sign-in that issues RS256 JWTs, AWS KMS (GenerateDataKey, Decrypt, Encrypt; kms.mjs) at /kms and AWS Secrets
// Manager (GetSecretValue, CreateSecret, PutSecretValue; secretsmanager.mjs) at /secretsmanager. Loopback only, no
// dependencies.
//
//   node src/local/sandbox.mjs --port 8702 [--exit-on-stdin-eof] [--lock-delay-seconds 5]
//        [--devices FILE] [--client-id ID --client-secret S] [--token-lifetime-seconds 3599] [--strict-v1]
//        [--signing-key PKCS8_PEM_FILE] [--issuer URL] [--audience AUD] [--kms-root-key-file FILE]
//
// --signing-key signs the callers' JWTs with that RSA key instead of a fresh one (the test harness passes the key
// the function under test trusts); --issuer and --audience set their iss and aud. --kms-root-key-file keeps the KMS
// stand-in's root secret (created if missing), so that data keys it wrapped stay usable across restarts.
//
// Prints `sandbox ready http://127.0.0.1:<port>` when listening. Never logs an unlock PIN.
import {
  createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, randomInt, randomUUID, sign,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createKms } from './kms.mjs';
import { createSecretsManager } from './secretsmanager.mjs';

const HOST = '127.0.0.1';
const here = dirname(fileURLToPath(import.meta.url));

function fail(message) {
  process.stderr.write(`sandbox: ${message}\n`);
  process.exit(1);
}

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      port: { type: 'string' },
      devices: { type: 'string', default: resolve(here, 'sandbox-devices.json') },
      'lock-delay-seconds': { type: 'string', default: process.env.SANDBOX_LOCK_DELAY_SECONDS ?? '5' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'token-lifetime-seconds': { type: 'string', default: '3599' },
      'strict-v1': { type: 'boolean', default: false },
      'exit-on-stdin-eof': { type: 'boolean', default: false },
      'signing-key': { type: 'string' },
      issuer: { type: 'string', default: 'https://sandbox.intune-lock.local/' },
      audience: { type: 'string', default: 'intune-lock-local' },
      'kms-root-key-file': { type: 'string' },
    },
  }));
} catch (e) {
  fail(`${e.message}\nusage: node sandbox.mjs --port P [--exit-on-stdin-eof] [--lock-delay-seconds N] [--devices FILE] `
    + '[--client-id ID] [--client-secret S] [--token-lifetime-seconds N] [--strict-v1] [--signing-key PEM_FILE] '
    + '[--issuer URL] [--audience AUD] [--kms-root-key-file FILE]');
}
const port = Number(args.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) fail('--port must be a port number between 1 and 65535');
const lockDelayMs = Number(args['lock-delay-seconds']) * 1000;
if (!(lockDelayMs >= 0)) fail('--lock-delay-seconds must be a number >= 0');
const secretsManager = createSecretsManager();
let kms;
try {
  kms = createKms({ rootKeyFile: args['kms-root-key-file'] });
} catch (e) {
  fail(e.message);
}
const tokenLifetime = Number(args['token-lifetime-seconds']);
if (!Number.isInteger(tokenLifetime) || tokenLifetime < 1) fail('--token-lifetime-seconds must be a positive integer');
const origin = `http://${HOST}:${port}`;

// ---------------------------------------------------------------- devices

const PIN_DEVICE_TYPES = new Set(['mac', 'macMDM']);
const UNLOCKABLE_DEVICE_TYPES = new Set(['desktop', 'windowsRT', 'surfaceHub', 'holoLens', 'unknown']);
// deviceType exists only in the beta schema; v1.0 has no such property (see --strict-v1).
const BETA_ONLY = ['deviceType'];

// Every managedDevice property of v1.0, in Graph's order, with the values Intune gives when unset.
const DEVICE_DEFAULTS = {
  id: null, userId: null, deviceName: null, managedDeviceOwnerType: 'company', deviceActionResults: [],
  enrolledDateTime: null, lastSyncDateTime: null, operatingSystem: null, complianceState: 'compliant',
  jailBroken: 'False', managementAgent: 'mdm', osVersion: null, easActivated: false, easDeviceId: '',
  easActivationDateTime: '0001-01-01T00:00:00Z', azureADRegistered: true, deviceEnrollmentType: 'userEnrollment',
  activationLockBypassCode: null, emailAddress: null, azureADDeviceId: null, deviceRegistrationState: 'registered',
  deviceCategoryDisplayName: 'Unknown', isSupervised: false, exchangeLastSuccessfulSyncDateTime: '0001-01-01T00:00:00Z',
  exchangeAccessState: 'none', exchangeAccessStateReason: 'none', remoteAssistanceSessionUrl: '',
  remoteAssistanceSessionErrorDetails: '', isEncrypted: true, userPrincipalName: null, model: null, manufacturer: null,
  imei: '', complianceGracePeriodExpirationDateTime: '9999-12-31T23:59:59Z', serialNumber: null, phoneNumber: '',
  androidSecurityPatchLevel: '', userDisplayName: null, configurationManagerClientEnabledFeatures: null,
  wiFiMacAddress: '', deviceHealthAttestationState: null, subscriberCarrier: '', meid: '',
  totalStorageSpaceInBytes: 0, freeStorageSpaceInBytes: 0, managedDeviceName: null, partnerReportedThreatState: 'unknown',
  requireUserEnrollmentApproval: false, managementCertificateExpirationDate: '+300d', iccid: '', udid: '', notes: null,
  ethernetMacAddress: '', physicalMemoryInBytes: 0, enrollmentProfileName: '', managementState: 'managed',
  deviceType: 'unknown',
};

// "-12m", "-3h", "+300d": relative to now, so the seed data never looks stale.
function resolveDates(value, now) {
  if (Array.isArray(value)) return value.map((v) => resolveDates(v, now));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveDates(v, now)]));
  }
  const m = typeof value === 'string' && /^([+-])(\d+)([smhd])$/.exec(value);
  if (!m) return value;
  const unit = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[m[3]];
  return new Date(now + (m[1] === '-' ? -1 : 1) * Number(m[2]) * unit).toISOString();
}

let seed;
try {
  seed = JSON.parse(readFileSync(args.devices, 'utf8'));
} catch (e) {
  fail(`cannot read devices file ${args.devices}: ${e.message}`);
}
const users = new Map(seed.users.map((u) => [u.userPrincipalName.toLowerCase(), u]));

function loadDevices() {
  const now = Date.now();
  return new Map(seed.devices.map(({ owner, ...fields }) => {
    const user = users.get(owner.toLowerCase());
    if (!user) fail(`device ${fields.id}: owner ${owner} is not in users`);
    const device = resolveDates({
      ...DEVICE_DEFAULTS,
      ...fields,
      userId: user.id,
      userPrincipalName: user.userPrincipalName,
      emailAddress: user.userPrincipalName,
      userDisplayName: user.displayName,
    }, now);
    return [device.id.toLowerCase(), device];
  }));
}

let devices = loadDevices();
let calls = [];
let fault = null; // { status, times, retryAfter, code, message }
const tokens = new Map(); // access token -> expiry (ms)

// Lock results turn from pending to done lockDelayMs after the command; computed when read.
function viewActionResult({ doneAt, ...result }) {
  if (doneAt === undefined || Date.now() < doneAt) return result;
  return { ...result, actionState: 'done', lastUpdatedDateTime: new Date(doneAt).toISOString() };
}

function viewDevice(device, apiVersion, inList) {
  const view = { ...device };
  // As reported for Graph (Microsoft Q&A): list responses carry no deviceActionResults; a GET by id does.
  view.deviceActionResults = inList ? [] : device.deviceActionResults.map(viewActionResult);
  if (args['strict-v1'] && apiVersion === 'v1.0') BETA_ONLY.forEach((p) => delete view[p]);
  return view;
}

// ---------------------------------------------------------------- HTTP helpers

function send(res, status, body, headers = {}) {
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(payload && { 'Content-Type': headers['Content-Type'] ?? 'application/json; charset=utf-8' }),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(payload);
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 1 << 20) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const base64url = (data) => Buffer.from(data).toString('base64url');

// ---------------------------------------------------------------- Entra ID token endpoint

function entraError(res, status, error, code, description, correlationId, headers = {}) {
  const traceId = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  send(res, status, {
    error,
    error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `${origin}/error?code=${code}`,
  }, headers);
}

async function issueClientToken(req, res, tenant) {
  const correlationId = req.headers['client-request-id'] ?? randomUUID();
  const form = new URLSearchParams(await readBody(req));
  // client_secret_basic (the default of many OAuth clients, Quarkus OIDC client included) or client_secret_post.
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':').map(decodeURIComponent);
    if (!form.has('client_id')) form.set('client_id', id);
    if (!form.has('client_secret')) form.set('client_secret', secret ?? '');
  }
  if (form.get('grant_type') === 'authorization_code') return redeemCode(req, res, form, correlationId);
  const missing = ['grant_type', 'client_id', 'scope'].find((p) => !form.get(p));
  if (missing) {
    return entraError(res, 400, 'invalid_request', 900144,
      `The request body must contain the following parameter: '${missing}'.`, correlationId);
  }
  if (form.get('grant_type') !== 'client_credentials') {
    return entraError(res, 400, 'unsupported_grant_type', 70003,
      `The app requested an unsupported grant type '${form.get('grant_type')}'.`, correlationId);
  }
  if (args['client-id'] && form.get('client_id') !== args['client-id']) {
    return entraError(res, 400, 'unauthorized_client', 700016, `Application with identifier '${form.get('client_id')}' `
      + `was not found in the directory '${tenant}'.`, correlationId);
  }
  if (!form.get('client_secret')) {
    return entraError(res, 401, 'invalid_client', 7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", correlationId);
  }
  if (args['client-secret'] && form.get('client_secret') !== args['client-secret']) {
    return entraError(res, 401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being '
      + 'sent in the request is the client secret value, not the client secret ID, for a secret added to app '
      + `'${form.get('client_id')}'.`, correlationId);
  }
  if (!form.get('scope').split(' ').every((s) => s.endsWith('/.default'))) {
    return entraError(res, 400, 'invalid_scope', 1002012, `The provided value for scope ${form.get('scope')} is not `
      + 'valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier '
      + '(application ID URI).', correlationId);
  }
  const accessToken = randomBytes(32).toString('base64url');
  tokens.set(accessToken, Date.now() + tokenLifetime * 1000);
  send(res, 200, { token_type: 'Bearer', expires_in: tokenLifetime, ext_expires_in: tokenLifetime, access_token: accessToken });
}

// ---------------------------------------------------------------- Graph

const GRAPH_CONTENT_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const GRAPH_ERROR_CODES = {
  400: 'BadRequest', 401: 'InvalidAuthenticationToken', 403: 'Forbidden', 404: 'ResourceNotFound', 409: 'Conflict',
  429: 'TooManyRequests', 500: 'InternalServerError', 502: 'BadGateway', 503: 'ServiceUnavailable', 504: 'GatewayTimeout',
};

function graphError(res, ctx, status, code, message, headers = {}) {
  const date = new Date().toISOString().replace(/\.\d+Z$/, '');
  send(res, status, {
    error: { code, message, innerError: { date, 'request-id': ctx.requestId, 'client-request-id': ctx.clientRequestId } },
  }, { ...ctx.headers, ...headers });
}

// Intune puts a JSON document in error.message; callers should branch on error.code only.
function intuneMessage(ctx, text) {
  return JSON.stringify({
    _version: 3,
    Message: `${text} - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: `
      + `${ctx.requestId} - Url: https://fef.sandbox.invalid/DeviceFE/StatelessDeviceFEService${ctx.path}?api-version=2024-01-01`,
    CustomApiErrorPhrase: '',
    RetryAfter: null,
    ErrorSourceService: '',
    HttpHeaders: '{}',
  }, null, 2).replace(/\n/g, '\r\n');
}

function checkBearer(req, res, ctx) {
  const auth = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  const expiry = auth && tokens.get(auth[1]);
  const problem = !auth ? 'Access token is empty.'
    : expiry === undefined ? 'Access token validation failure. Invalid audience.'
      : expiry <= Date.now() ? 'Lifetime validation failed, the token is expired.' : null;
  if (!problem) return true;
  graphError(res, ctx, 401, 'InvalidAuthenticationToken', problem, {
    'WWW-Authenticate': 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", '
      + 'client_id="00000003-0000-0000-c000-000000000000"',
  });
  return false;
}

const FILTERS = { userPrincipalName: 'ci', userId: 'ci', serialNumber: 'exact', deviceName: 'exact', azureADDeviceId: 'exact' };

function listDevices(res, ctx, url, apiVersion) {
  let found = [...devices.values()];
  const filter = url.searchParams.get('$filter');
  if (filter) {
    const m = /^\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*$/.exec(filter);
    const mode = m && FILTERS[m[1]];
    if (!mode) {
      return graphError(res, ctx, 400, 'BadRequest', intuneMessage(ctx, `Unsupported $filter '${filter}'. The sandbox `
        + `supports one clause: <${Object.keys(FILTERS).join('|')}> eq '<value>'`));
    }
    const wanted = m[2].replace(/''/g, "'");
    found = found.filter((d) => (mode === 'ci'
      ? String(d[m[1]]).toLowerCase() === wanted.toLowerCase() : d[m[1]] === wanted));
  }
  send(res, 200, {
    '@odata.context': `${origin}/${apiVersion}/$metadata#deviceManagement/managedDevices`,
    value: found.map((d) => viewDevice(d, apiVersion, true)),
  }, { ...ctx.headers, 'Content-Type': GRAPH_CONTENT_TYPE });
}

function getDevice(res, ctx, id, apiVersion) {
  const device = devices.get(id.toLowerCase());
  if (!device) return graphError(res, ctx, 404, 'ResourceNotFound', intuneMessage(ctx, 'An error has occurred'));
  send(res, 200, {
    '@odata.context': `${origin}/${apiVersion}/$metadata#deviceManagement/managedDevices/$entity`,
    ...viewDevice(device, apiVersion, false),
  }, { ...ctx.headers, 'Content-Type': GRAPH_CONTENT_TYPE });
}

function remoteLock(res, ctx, id) {
  const call = { deviceId: id, at: new Date().toISOString(), status: 204 };
  calls.push(call);
  if (fault?.times > 0) {
    fault.times -= 1;
    call.status = fault.status;
    const headers = fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
    return graphError(res, ctx, fault.status, fault.code ?? GRAPH_ERROR_CODES[fault.status] ?? 'UnknownError',
      fault.message ?? intuneMessage(ctx, 'An error has occurred (injected by /sandbox/faults)'), headers);
  }
  const device = devices.get(id.toLowerCase());
  if (!device) {
    call.status = 404;
    return graphError(res, ctx, 404, 'ResourceNotFound', intuneMessage(ctx, 'An error has occurred'));
  }
  if (UNLOCKABLE_DEVICE_TYPES.has(device.deviceType)) {
    call.status = 400;
    return graphError(res, ctx, 400, 'BadRequest', intuneMessage(ctx,
      `Remote lock is not supported for this platform (${device.operatingSystem}, deviceType ${device.deviceType})`));
  }
  const now = Date.now();
  device.deviceActionResults.push({
    '@odata.type': '#microsoft.graph.remoteLockActionResult',
    actionName: 'remoteLock',
    actionState: 'pending',
    startDateTime: new Date(now).toISOString(),
    lastUpdatedDateTime: new Date(now).toISOString(),
    // Intune generates a recovery PIN for Macs only; the property is null for other platforms.
    unlockPin: PIN_DEVICE_TYPES.has(device.deviceType) ? String(randomInt(0, 1_000_000)).padStart(6, '0') : null,
    doneAt: now + lockDelayMs,
  });
  send(res, 204, undefined, ctx.headers);
}

function handleGraph(req, res, url, apiVersion, rest) {
  const requestId = randomUUID();
  const clientRequestId = req.headers['client-request-id'] ?? randomUUID();
  const ctx = {
    requestId,
    clientRequestId,
    path: rest,
    headers: { 'request-id': requestId, 'client-request-id': clientRequestId },
  };
  if (!checkBearer(req, res, ctx)) return;
  const segments = rest.split('/').filter(Boolean).map(decodeURIComponent);
  const [root, collection, id, action] = segments;
  if (root !== 'deviceManagement' || collection !== 'managedDevices' || segments.length > 4) {
    const unknown = root !== 'deviceManagement' ? root : collection !== 'managedDevices' ? collection : segments[4];
    return graphError(res, ctx, 400, 'BadRequest', unknown === undefined
      ? 'Invalid request: no resource path.' : `Resource not found for the segment '${unknown}'.`);
  }
  const route = `${req.method} ${[collection, id && '{id}', action].filter(Boolean).join('/')}`;
  if (route === 'GET managedDevices') return listDevices(res, ctx, url, apiVersion);
  if (route === 'GET managedDevices/{id}') return getDevice(res, ctx, id, apiVersion);
  if (/^POST managedDevices\/\{id\}\/(microsoft\.graph\.)?remoteLock$/.test(route)) return remoteLock(res, ctx, id);
  if (action && !/^(microsoft\.graph\.)?remoteLock$/.test(action)) {
    return graphError(res, ctx, 400, 'BadRequest', `Resource not found for the segment '${action}'.`);
  }
  return graphError(res, ctx, 405, 'Request_BadRequest', `The HTTP method '${req.method}' is not allowed for this resource.`);
}

// ---------------------------------------------------------------- developer sign-in (RS256 JWT)

function signingKeys() {
  if (!args['signing-key']) return generateKeyPairSync('rsa', { modulusLength: 2048 });
  try {
    const privateKey = createPrivateKey(readFileSync(args['signing-key'], 'utf8'));
    return { privateKey, publicKey: createPublicKey(privateKey) };
  } catch (e) {
    return fail(`cannot read --signing-key ${args['signing-key']}: ${e.message}`);
  }
}

const { privateKey, publicKey } = signingKeys();
const { n, e } = publicKey.export({ format: 'jwk' });
// RFC 7638 thumbprint: a kid that is stable for this key.
const kid = createHash('sha256').update(JSON.stringify({ e, kty: 'RSA', n })).digest('base64url');
const jwks = { keys: [{ kty: 'RSA', use: 'sig', alg: 'RS256', kid, n, e }] };

function stableGuid(text) {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

async function issueDevToken(req, res, url) {
  const params = new URLSearchParams(url.search);
  if (req.method === 'POST' && /x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')) {
    for (const [k, v] of new URLSearchParams(await readBody(req))) params.append(k, v);
  }
  const user = params.get('user')?.trim();
  if (!user) {
    return send(res, 400, {
      error: 'invalid_request',
      error_description: 'user is required, e.g. /dev/token?user=alice@contoso.example&roles=Lock.Devices,Pins.Read',
    });
  }
  const lifetime = params.has('expires_in') ? Number(params.get('expires_in')) : 3600;
  if (!Number.isInteger(lifetime)) {
    return send(res, 400, { error: 'invalid_request', error_description: 'expires_in must be an integer (seconds; negative gives an expired token)' });
  }
  const roles = params.getAll('roles').flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean);
  const accessToken = userAccessToken(user, roles, lifetime, params.get('aud') || args.audience);
  send(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: lifetime });
}

// An Entra-style access token for a user: upn, preferred_username, name, oid, and app roles if any.
function userAccessToken(user, roles, lifetime, audience) {
  const known = users.get(user.toLowerCase());
  const displayName = known?.displayName
    ?? user.split('@')[0].split(/[._-]+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
  const iat = Math.floor(Date.now() / 1000);
  const claims = {
    iss: args.issuer,
    aud: audience,
    iat,
    nbf: iat,
    exp: iat + lifetime,
    sub: createHash('sha256').update(`sub:${user.toLowerCase()}`).digest('base64url').slice(0, 43),
    oid: known?.id ?? stableGuid(`oid:${user.toLowerCase()}`),
    upn: known?.userPrincipalName ?? user,
    preferred_username: known?.userPrincipalName ?? user,
    name: displayName,
    ...(roles.length && { roles }),
  };
  const signingInput = `${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }))}.${base64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(signingInput), privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

// ---------------------------------------------------------------- user sign-in: authorization code + PKCE (S256)
//
// GET  /{tenant}/oauth2/v2.0/authorize  a page listing the sandbox users (no password); choosing one redirects to
//                                        redirect_uri with ?code&state, as Entra ID does for a single-page app.
// POST /{tenant}/oauth2/v2.0/token      grant_type=authorization_code redeems the code once, checking client_id,
//                                        redirect_uri and the PKCE code_verifier; answers with CORS headers.

const CODE_LIFETIME_MS = 5 * 60 * 1000;
const codes = new Map(); // code -> { user, clientId, redirectUri, challenge, scope, expires, redeemed }
const AUTHORIZE_FIELDS = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'code_challenge',
  'code_challenge_method', 'response_mode', 'nonce'];

// Only pages on this machine may receive codes: the sandbox must not become an open redirector.
function loopbackUrl(text) {
  try {
    const url = new URL(text);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    return loopback && ['http:', 'https:'].includes(url.protocol) && !url.hash ? url : null;
  } catch {
    return null;
  }
}

const escapeHtml = (text) => String(text).replace(/[&<>"']/g,
  (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function sendPage(res, status, title, body) {
  const nonce = randomBytes(16).toString('base64');
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': `default-src 'none'; style-src 'nonce-${nonce}'; base-uri 'none'; frame-ancestors 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
  res.end(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">
body { font: 1.0625rem/1.5 system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #fff; }
main { max-width: 32rem; margin: 0 auto; padding: 1.5rem 1rem; }
h1 { font-size: 1.5rem; }
fieldset { border: 0; padding: 0; margin: 0; }
legend { font-weight: 600; margin-bottom: .5rem; }
button { display: block; width: 100%; text-align: left; font: inherit; padding: .75rem 1rem; margin: 0 0 .75rem;
  border: 2px solid #0b5cad; border-radius: .375rem; background: #fff; color: #0b3d73; cursor: pointer; }
button:hover { background: #eef5fc; }
button:focus-visible { outline: 3px solid #1b1b1b; outline-offset: 2px; }
button.secondary { border-color: #595959; color: #1b1b1b; }
.upn { display: block; font-size: .9375rem; color: #3d3d3d; }
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`);
}

function authorizeError(res, status, message) {
  sendPage(res, status, 'Sign-in error – Intune sandbox',
    `<h1>Sign-in error</h1>\n<p role="alert">${escapeHtml(message)}</p>`);
}

// Checks an authorize request; answers it (an error page, or an error redirect) and returns null when it is bad.
function authorizeRequest(res, params) {
  const redirect = loopbackUrl(params.get('redirect_uri') ?? '');
  if (!params.get('client_id')) {
    authorizeError(res, 400, "AADSTS900144: The request body must contain the following parameter: 'client_id'.");
    return null;
  }
  if (!redirect) {
    authorizeError(res, 400, 'AADSTS50011: The redirect URI must be an http(s) address on this machine '
      + '(localhost or 127.0.0.1) for the sandbox to send a sign-in code to it.');
    return null;
  }
  const problem = params.get('response_type') !== 'code'
    ? ['unsupported_response_type', "AADSTS700054: response_type must be 'code'."]
    : !params.get('code_challenge') || params.get('code_challenge_method') !== 'S256'
      ? ['invalid_request', 'AADSTS9002325: Proof Key for Code Exchange (code_challenge with '
        + 'code_challenge_method=S256) is required for cross-origin authorization code redemption.']
      : !params.get('scope')
        ? ['invalid_request', "AADSTS900144: The request body must contain the following parameter: 'scope'."]
        : null;
  if (problem) {
    redirectWith(res, redirect, { error: problem[0], error_description: problem[1], state: params.get('state') });
    return null;
  }
  return { redirect, params };
}

function redirectWith(res, redirect, fields) {
  const target = new URL(redirect);
  for (const [k, v] of Object.entries(fields)) if (v !== null && v !== undefined) target.searchParams.set(k, v);
  res.writeHead(302, { Location: target.toString(), 'Cache-Control': 'no-store' });
  res.end();
}

function showSignIn(res, url, tenant) {
  const request = authorizeRequest(res, url.searchParams);
  if (!request) return;
  const hidden = AUTHORIZE_FIELDS.filter((f) => request.params.has(f))
    .map((f) => `<input type="hidden" name="${f}" value="${escapeHtml(request.params.get(f))}">`).join('\n');
  const choices = [...users.values()].map((u) => `<button type="submit" name="user" value="${escapeHtml(u.userPrincipalName)}">`
    + `Sign in as ${escapeHtml(u.displayName)} <span class="upn">${escapeHtml(u.userPrincipalName)}</span></button>`)
    .join('\n');
  sendPage(res, 200, 'Sign in – Intune sandbox', `<h1>Sign in to the sandbox tenant</h1>
<p>This is the local stand-in for Microsoft Entra ID (tenant ${escapeHtml(tenant)}). Choose a sandbox user; no password
is asked. <strong>${escapeHtml(request.redirect.host)}</strong> will receive a sign-in code.</p>
<form method="post" action="/${encodeURIComponent(tenant)}/oauth2/v2.0/authorize">
${hidden}
<fieldset>
<legend>Sandbox users</legend>
${choices}
</fieldset>
<button type="submit" name="cancel" value="1" class="secondary">Cancel</button>
</form>`);
}

async function signIn(req, res) {
  const params = new URLSearchParams(await readBody(req));
  const request = authorizeRequest(res, params);
  if (!request) return;
  const state = params.get('state');
  if (params.get('cancel')) {
    return redirectWith(res, request.redirect, {
      error: 'access_denied', error_description: 'AADSTS65004: User declined to consent to access the app.', state,
    });
  }
  const user = users.get((params.get('user') ?? '').toLowerCase());
  if (!user) return authorizeError(res, 400, 'AADSTS50034: The user account does not exist in the sandbox tenant.');
  const code = randomBytes(32).toString('base64url');
  codes.set(code, {
    user: user.userPrincipalName,
    clientId: params.get('client_id'),
    redirectUri: params.get('redirect_uri'),
    challenge: params.get('code_challenge'),
    scope: params.get('scope'),
    expires: Date.now() + CODE_LIFETIME_MS,
    redeemed: false,
  });
  redirectWith(res, request.redirect, { code, state });
}

// The sandbox keeps no sign-in session: signing out only sends the browser back.
function signOut(res, url) {
  const back = loopbackUrl(url.searchParams.get('post_logout_redirect_uri') ?? '');
  if (back) return redirectWith(res, back, {});
  return sendPage(res, 200, 'Signed out – Intune sandbox', '<h1>You are signed out</h1>');
}

// A single-page app redeems its code from the browser: the token endpoint answers cross-origin requests.
function corsHeaders(req) {
  const origin = req.headers.origin;
  return origin && loopbackUrl(origin) ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {};
}

function corsPreflight(req, res) {
  res.writeHead(204, {
    ...corsHeaders(req),
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type',
    'Access-Control-Max-Age': '600',
  });
  res.end();
}

function redeemCode(req, res, form, correlationId) {
  const cors = corsHeaders(req);
  const refuse = (code, description) => entraError(res, 400, 'invalid_grant', code, description, correlationId, cors);
  const missing = ['client_id', 'code', 'redirect_uri', 'code_verifier'].find((p) => !form.get(p));
  if (missing) {
    return entraError(res, 400, 'invalid_request', 900144,
      `The request body must contain the following parameter: '${missing}'.`, correlationId, cors);
  }
  const grant = codes.get(form.get('code'));
  if (!grant || grant.expires <= Date.now()) {
    return refuse(70008, 'The provided authorization code or refresh token has expired due to inactivity. '
      + 'Send a new interactive authorization request for this user and resource.');
  }
  if (grant.redeemed) return refuse(54005, 'OAuth2 Authorization code was already redeemed, please retry with a new '
    + 'valid code or use an existing refresh token.');
  grant.redeemed = true;
  if (grant.clientId !== form.get('client_id')) {
    return refuse(700005, 'Provided Authorization Code is intended to use against other client.');
  }
  if (grant.redirectUri !== form.get('redirect_uri')) {
    return refuse(50148, 'The redirect_uri does not match the one used in the authorization request.');
  }
  const challenge = createHash('sha256').update(form.get('code_verifier')).digest('base64url');
  if (challenge !== grant.challenge) {
    return refuse(501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
  }
  const accessToken = userAccessToken(grant.user, [], tokenLifetime, args.audience);
  send(res, 200, {
    token_type: 'Bearer', scope: grant.scope, expires_in: tokenLifetime, ext_expires_in: tokenLifetime,
    access_token: accessToken,
  }, cors);
}

// ---------------------------------------------------------------- sandbox controls

async function setFault(req, res) {
  let body;
  try {
    body = JSON.parse(await readBody(req) || '{}');
  } catch {
    return send(res, 400, { error: 'invalid_request', error_description: 'body must be JSON' });
  }
  const { status, times = 1, retryAfter, code, message } = body;
  if (!Number.isInteger(status) || status < 400 || status > 599 || !Number.isInteger(times) || times < 0) {
    return send(res, 400, {
      error: 'invalid_request',
      error_description: 'expected {"status": 400-599, "times": N (default 1), "retryAfter": seconds?, "code"?, "message"?}',
    });
  }
  fault = { status, times, retryAfter, code, message };
  send(res, 200, fault);
}

const HELP = {
  token: 'POST /{tenant}/oauth2/v2.0/token (client_credentials; authorization_code with PKCE)',
  signIn: 'GET /{tenant}/oauth2/v2.0/authorize?client_id&redirect_uri&response_type=code&scope&state'
    + '&code_challenge&code_challenge_method=S256 (pick a sandbox user); GET /{tenant}/oauth2/v2.0/logout',
  graph: ['GET /v1.0/deviceManagement/managedDevices[?$filter=...]', 'GET /v1.0/deviceManagement/managedDevices/{id}',
    'POST /v1.0/deviceManagement/managedDevices/{id}/remoteLock', '(also under /beta)'],
  dev: ['GET /dev/jwks.json', 'GET|POST /dev/token?user=alice@contoso.example&roles=Lock.Devices,Pins.Read'],
  kms: ['POST /kms (AWS KMS JSON protocol: GenerateDataKey, Decrypt, Encrypt)'],
  secretsmanager: ['POST /secretsmanager (AWS Secrets Manager JSON protocol: GetSecretValue, CreateSecret, PutSecretValue)'],
  sandbox: ['GET|POST|DELETE /sandbox/faults', 'GET /sandbox/calls', 'GET /sandbox/kms-calls', 'GET /sandbox/secrets-calls',
    'POST /sandbox/reset'],
};

async function route(req, res) {
  const url = new URL(req.url, origin);
  const path = url.pathname;
  if (path === '/kms' || path === '/kms/') return kms.handle(req, res, await readBody(req));
  if (path === '/secretsmanager' || path === '/secretsmanager/') {
    return secretsManager.handle(req, res, await readBody(req));
  }
  const graph = /^\/(v1\.0|beta)(\/.*)?$/.exec(path);
  if (graph) return handleGraph(req, res, url, graph[1], graph[2] ?? '/');
  const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
  if (tokenPath && req.method === 'POST') return issueClientToken(req, res, decodeURIComponent(tokenPath[1]));
  if (tokenPath && req.method === 'OPTIONS') return corsPreflight(req, res);
  const authorizePath = /^\/([^/]+)\/oauth2\/v2\.0\/authorize$/.exec(path);
  if (authorizePath && req.method === 'GET') return showSignIn(res, url, decodeURIComponent(authorizePath[1]));
  if (authorizePath && req.method === 'POST') return signIn(req, res);
  if (/^\/[^/]+\/oauth2\/v2\.0\/logout$/.test(path) && req.method === 'GET') return signOut(res, url);
  const key = `${req.method} ${path}`;
  switch (key) {
    case 'GET /': return send(res, 200, HELP);
    case 'GET /dev/jwks.json': return send(res, 200, jwks);
    case 'GET /dev/token':
    case 'POST /dev/token': return issueDevToken(req, res, url);
    case 'GET /sandbox/faults': return send(res, 200, fault ?? {});
    case 'POST /sandbox/faults': return setFault(req, res);
    case 'DELETE /sandbox/faults': fault = null; return send(res, 204);
    case 'GET /sandbox/calls': return send(res, 200, { calls });
    case 'GET /sandbox/kms-calls': return send(res, 200, { calls: kms.calls() });
    case 'GET /sandbox/secrets-calls': return send(res, 200, { calls: secretsManager.calls() });
    case 'POST /sandbox/reset':
      devices = loadDevices();
      calls = [];
      kms.reset();
      secretsManager.reset();
      fault = null;
      return send(res, 204);
    default:
      return send(res, 404, { error: 'not_found', error_description: `no route for ${key}; GET / lists the routes` });
  }
}

const server = createServer((req, res) => {
  res.on('finish', () => process.stderr.write(`sandbox: ${res.statusCode} ${req.method} ${req.url}\n`));
  route(req, res).catch((e) => {
    if (!res.headersSent) send(res, 500, { error: 'server_error', error_description: e.message });
    else res.destroy();
  });
});

let stopping = false;
function shutdown() {
  if (stopping) return;
  stopping = true;
  server.closeAllConnections();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
if (args['exit-on-stdin-eof']) process.stdin.on('end', shutdown).on('error', shutdown).resume();

server.on('error', (e) => {
  if (e.code === 'EADDRINUSE') fail(`port ${port} on ${HOST} is already in use; pick another with --port`);
  fail(`server error: ${e.message}`);
});
server.listen(port, HOST, () => process.stdout.write(`sandbox ready ${origin}\n`));

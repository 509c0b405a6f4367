// The standalone simulator driven from another language over raw HTTP only (Node's http module and
// fetch, no SDK): it provisions a number whose voice URL is a tiny web app served here that answers
// a <Gather>, scripts the caller's digits, injects a callback fault, rings the number through the
// calls-in control route, then reads the call's timeline and checks that the Gather action got the
// digits (signed) and that the faulted status callback was retried.
//
// Run by scripts/test: `node tests/sim_node/control_routes.js`, with MYCPAAS_SIM naming the
// simulator program (default: target/debug/mycpaas-sim, in $CARGO_TARGET_DIR when set).
'use strict';

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const http = require('node:http');
const path = require('node:path');
const { spawn } = require('node:child_process');

const ACCOUNT = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'node-test-token';
const NUMBER = '+15550001234';
const CALLER = '+15559870000';

function simulatorProgram() {
  if (process.env.MYCPAAS_SIM) return process.env.MYCPAAS_SIM;
  const target = process.env.CARGO_TARGET_DIR || path.join(__dirname, '..', '..', 'target');
  return path.join(target, 'debug', 'mycpaas-sim');
}

/** Starts the simulator on a free port; resolves with the process and its base URL (from its banner). */
function startSimulator() {
  const child = spawn(simulatorProgram(), ['--account-sid', ACCOUNT, '--auth-token', TOKEN, '--seed', '7'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no banner from the simulator: ${seen}`)), 30000);
    child.on('error', reject);
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const found = seen.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (found) {
        clearTimeout(timer);
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        resolve({ child, base: found[1] });
      }
    });
  });
}

/** The signature the platform sends: base64(HMAC-SHA1(token, URL + each name and value, names sorted)). */
function signature(url, params) {
  const names = [...params.keys()].sort();
  const data = url + names.map((name) => params.getAll(name).map((v) => name + v).join('')).join('');
  return crypto.createHmac('sha1', TOKEN).update(data).digest('base64');
}

/** The web app under test: a voice URL that gathers three digits, its action, and a status callback. */
function startApp() {
  const seen = { menu: [], status: [] };
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      const params = new URLSearchParams(body);
      const url = `http://${request.headers.host}${request.url}`;
      const signed = request.headers['x-mycpaas-signature'] === signature(url, params);
      const xml = (text) => {
        response.writeHead(200, { 'Content-Type': 'application/xml' });
        response.end(text);
      };
      if (request.url === '/voice') {
        xml('<Response><Gather numDigits="3" action="/menu"><Say>Enter your code</Say></Gather></Response>');
      } else if (request.url === '/menu') {
        seen.menu.push({ digits: params.get('Digits'), signed });
        xml('<Response><Say>Thank you</Say><Hangup/></Response>');
      } else if (request.url === '/status') {
        // Always a success: the simulator's fault makes the first answer count as a 500.
        seen.status.push({ status: params.get('CallStatus'), sequence: params.get('SequenceNumber'), signed });
        response.writeHead(204);
        response.end();
      } else {
        response.writeHead(404);
        response.end();
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, seen, base: `http://127.0.0.1:${server.address().port}` }));
  });
}

async function main() {
  const { child, base } = await startSimulator();
  const app = await startApp();
  const auth = 'Basic ' + Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64');
  const call = async (method, route, form) => {
    const answer = await fetch(base + route, {
      method,
      headers: { Authorization: auth, ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    const text = await answer.text();
    return { status: answer.status, body: text ? JSON.parse(text) : null };
  };
  try {
    const number = await call('POST', `/api/laml/2010-04-01/Accounts/${ACCOUNT}/IncomingPhoneNumbers.json`, {
      PhoneNumber: NUMBER,
      VoiceUrl: `${app.base}/voice`,
      StatusCallback: `${app.base}/status`,
    });
    assert.equal(number.status, 201, JSON.stringify(number.body));

    const scripted = await call('POST', '/_sim/inputs', { Key: CALLER, Digits: '482' });
    assert.equal(scripted.status, 204, JSON.stringify(scripted.body));
    const fault = await call('POST', '/_sim/faults', { Fault: 'callback_server_error', Count: '1' });
    assert.equal(fault.status, 200, JSON.stringify(fault.body));
    assert.deepEqual(fault.body, { api_pending: 0, callbacks_pending: 1 });
    // A refusal names the parameter and the rule, as every client of the description refuses it.
    const refused = await call('POST', '/_sim/faults', { Fault: 'meltdown' });
    assert.equal(refused.status, 400);
    assert.match(refused.body.message, /Fault/);

    const ringing = await call('POST', '/_sim/calls-in', { To: NUMBER, From: CALLER });
    assert.equal(ringing.status, 201, JSON.stringify(ringing.body));
    assert.equal(ringing.body.direction, 'inbound');
    const sid = ringing.body.sid;

    let timeline;
    const deadline = Date.now() + 30000;
    do {
      await new Promise((resolve) => setTimeout(resolve, 50));
      timeline = await call('GET', `/_sim/calls/${sid}/timeline`);
      assert.equal(timeline.status, 200, JSON.stringify(timeline.body));
    } while (!timeline.body.settled && Date.now() < deadline);
    const { body } = timeline;
    assert.ok(body.settled, JSON.stringify(body));
    assert.equal(body.status, 'completed');

    // The Gather action got the scripted digits, signed.
    assert.deepEqual(app.seen.menu, [{ digits: '482', signed: true }]);
    const input = body.entries.filter((e) => e.type === 'input');
    assert.deepEqual(input.map((e) => e.digits), ['482']);
    const action = body.entries.filter((e) => e.type === 'document' && e.purpose === 'gather-action');
    assert.equal(action.length, 1);
    assert.equal(action[0].url, `${app.base}/menu`);

    // The status callback's first attempt reached the app and counted as a 500; the retry was delivered.
    const attempts = body.entries.filter((e) => e.type === 'callback');
    assert.deepEqual(
      attempts.map((e) => [e.attempt, e.http_status, e.fault ?? null, e.delivered]),
      [[1, 500, 'callback_server_error', false], [2, 204, null, true]],
    );
    assert.equal(app.seen.status.length, 2);
    assert.ok(app.seen.status.every((s) => s.signed && s.status === 'completed' && s.sequence === app.seen.status[0].sequence));
    const pending = await call('GET', '/_sim/faults');
    assert.deepEqual(pending.body, { api_pending: 0, callbacks_pending: 0 });
    console.log(`ok: ${sid} gathered 482 and its faulted status callback was retried once`);
  } finally {
    child.kill('SIGINT');
    app.server.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

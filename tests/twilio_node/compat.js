// twilio-node pointed at the simulator: create and fetch an application, provision and update a
// number, list and fetch a recording. Prints what it read as one JSON object; the Python test
// (python/tests/test_twilio_compat.py) starts the simulator and checks it.
const twilio = require("twilio");

async function main() {
  const env = process.env;
  const client = twilio(env.MYCPAAS_ACCOUNT_SID, env.MYCPAAS_AUTH_TOKEN);
  client.api.baseUrl = env.MYCPAAS_BASE_URL; // its paths are /2010-04-01/..., which the simulator serves
  const app = await client.applications.create({ friendlyName: "ivr", voiceUrl: "https://example.com/voice.xml" });
  const fetchedApp = await client.applications(app.sid).fetch();
  const number = await client.incomingPhoneNumbers.create({ phoneNumber: "+14155550111", voiceApplicationSid: app.sid });
  const updated = await client.incomingPhoneNumbers(number.sid).update({ friendlyName: "front desk" });
  const recordings = await client.recordings.list({ callSid: env.CALL_SID });
  const recording = await client.recordings(env.RECORDING_SID).fetch();
  console.log(JSON.stringify({
    application: { sid: app.sid, friendlyName: fetchedApp.friendlyName, voiceUrl: fetchedApp.voiceUrl },
    number: { sid: number.sid, phoneNumber: number.phoneNumber, friendlyName: updated.friendlyName },
    recordings: recordings.map((r) => r.sid),
    recording: { sid: recording.sid, status: recording.status, callSid: recording.callSid },
  }));
}

main().catch((error) => {
  console.error(String(error && error.stack ? error.stack : error));
  process.exit(1);
});

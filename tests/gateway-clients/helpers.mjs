// Licensed under the MIT License.
// What every client's tests share: the gateway's address and keys (set by tests/LlmAdapters.Gateway.Tests, which
// starts samples/Gateway on the emulator), and fault injection into that emulator.
import assert from 'node:assert/strict';

function required(name) {
  const value = process.env[name];
  assert.ok(value, `${name} is not set: these tests are run by tests/LlmAdapters.Gateway.Tests (dotnet test), which starts the gateway.`);
  return value;
}

export const gatewayUrl = required('GATEWAY_URL').replace(/\/$/, '');
export const emulatorUrl = required('EMULATOR_URL').replace(/\/$/, '');
export const key = required('GATEWAY_KEY');
export const limitedKey = required('GATEWAY_LIMITED_KEY');

/** Makes the emulator answer the next provider request with a fault (status, Retry-After, body, delay). */
export async function fault(spec) {
  const response = await fetch(`${emulatorUrl}/_emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spec),
  });
  assert.equal(response.status, 204, 'the emulator took the fault');
}

export const weatherSchema = {
  type: 'object',
  properties: { city: { type: 'string', description: 'The city' } },
  required: ['city'],
};

export const answerSchema = {
  type: 'object',
  properties: { answer: { type: 'string' } },
  required: ['answer'],
  additionalProperties: false,
};

export const contextLengthBody = JSON.stringify({
  error: { message: "This model's maximum context length is 128000 tokens.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' },
});

/** The provider faults and the status the gateway answers each with (the taxonomy's mapping). */
export const upstreamErrors = [
  { name: '400 context length', fault: { statusCode: 400, body: contextLengthBody }, status: 400 },
  { name: '429 with Retry-After', fault: { statusCode: 429, retryAfter: '00:00:07' }, status: 429, retryAfter: '7' },
  { name: '500 (provider answered garbage)', fault: { statusCode: 200, body: 'garbage' }, status: 500 },
  { name: '502 (provider 500)', fault: { statusCode: 500 }, status: 502 },
  { name: '503 (provider overloaded)', fault: { statusCode: 503 }, status: 503 },
  { name: '504 (provider timeout)', fault: { statusCode: 504 }, status: 504 },
];

/**
 * The cancellation case every client has: the provider is made to take 10 s for its first byte, the client aborts its
 * call after 300 ms, and the call must end at once with the client's own abort error (the gateway cancels the provider call).
 */
export async function assertAbortsAtOnce(call, isAbortError) {
  await fault({ firstByteDelay: '00:00:10' });
  const controller = new AbortController();
  const started = Date.now();
  setTimeout(() => controller.abort(), 300);
  await assert.rejects(call(controller.signal), isAbortError);
  assert.ok(Date.now() - started < 8000, 'did not wait for the provider');
}

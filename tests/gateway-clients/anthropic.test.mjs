// Licensed under the MIT License.
// The official `@anthropic-ai/sdk` against the gateway's /v1/messages and /v1/models.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { gatewayUrl, key, limitedKey, fault, weatherSchema, upstreamErrors, assertAbortsAtOnce } from './helpers.mjs';

const client = new Anthropic({ baseURL: gatewayUrl, apiKey: key, maxRetries: 0 });

test('models list: the configured clients and aliases', async () => {
  const ids = [];
  for await (const model of client.models.list()) {
    ids.push(model.id);
  }
  assert.ok(ids.includes('default') && ids.includes('claude-haiku-4-5'), ids.join(', '));
});

test('non-streaming message with usage', async () => {
  const message = await client.messages.create({ model: 'default', max_tokens: 200, messages: [{ role: 'user', content: 'Hello gateway' }] });
  assert.equal(message.type, 'message');
  assert.equal(message.role, 'assistant');
  assert.equal(message.content[0].type, 'text');
  assert.match(message.content[0].text, /You said "Hello gateway"/);
  assert.equal(message.stop_reason, 'end_turn');
  assert.ok(message.usage.input_tokens > 0 && message.usage.output_tokens > 0);
});

test('a system prompt and a key sent as x-api-key are accepted', async () => {
  const viaHeader = new Anthropic({ baseURL: gatewayUrl, apiKey: null, authToken: null, defaultHeaders: { 'x-api-key': key }, maxRetries: 0 });
  const message = await viaHeader.messages.create({ model: 'default', max_tokens: 100, system: [{ type: 'text', text: 'Be brief.' }], messages: [{ role: 'user', content: 'Hi' }] });
  assert.equal(message.content[0].type, 'text');
});

test('streaming: the event sequence, the text and the final usage', async () => {
  const stream = client.messages.stream({ model: 'default', max_tokens: 200, messages: [{ role: 'user', content: 'Stream to me' }] });
  const types = [];
  stream.on('streamEvent', (event) => types.push(event.type));
  const message = await stream.finalMessage();
  assert.equal(types[0], 'message_start');
  assert.equal(types.at(-1), 'message_stop');
  assert.ok(types.includes('content_block_start') && types.includes('content_block_delta') && types.includes('content_block_stop') && types.includes('message_delta'));
  assert.match(message.content[0].text, /You said "Stream to me"/);
  assert.equal(message.stop_reason, 'end_turn');
  assert.ok(message.usage.output_tokens > 0);
});

test('thinking: a thinking block before the text', async () => {
  const message = await client.messages.create({
    model: 'default', max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'Think first' }],
  });
  assert.equal(message.content[0].type, 'thinking');
  assert.match(message.content[0].thinking, /The user asked/);
  assert.equal(message.content.at(-1).type, 'text');
});

test('a full tool round trip: tool_use back to the caller, tool_result in, the answer uses it', async () => {
  const tools = [{ name: 'get_weather', description: 'Weather of a city', input_schema: weatherSchema }];
  const messages = [{ role: 'user', content: 'call get_weather city=Paris' }];
  const first = await client.messages.create({ model: 'default', max_tokens: 200, messages, tools });
  assert.equal(first.stop_reason, 'tool_use');
  const use = first.content.find((b) => b.type === 'tool_use');
  assert.equal(use.name, 'get_weather');
  assert.deepEqual(use.input, { city: 'Paris' });

  messages.push({ role: 'assistant', content: first.content });
  messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '21 degrees and sunny' }] });
  const second = await client.messages.create({ model: 'default', max_tokens: 200, messages, tools });
  assert.match(second.content.find((b) => b.type === 'text').text, /21 degrees and sunny/);
});

test('a streamed tool call', async () => {
  const stream = client.messages.stream({
    model: 'default', max_tokens: 200, messages: [{ role: 'user', content: 'call get_weather city=Oslo' }],
    tools: [{ name: 'get_weather', input_schema: weatherSchema }],
  });
  const message = await stream.finalMessage();
  assert.equal(message.stop_reason, 'tool_use');
  const use = message.content.find((b) => b.type === 'tool_use');
  assert.deepEqual(use.input, { city: 'Oslo' });
});

test('an image block is accepted', async () => {
  const pixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
  const message = await client.messages.create({
    model: 'default', max_tokens: 100,
    messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: pixel } }, { type: 'text', text: 'Describe it' }] }],
  });
  assert.equal(message.content[0].type, 'text');
});

test('401: an unknown key, in Anthropic\'s error shape', async () => {
  const wrong = new Anthropic({ baseURL: gatewayUrl, apiKey: 'sk-ant-wrong', maxRetries: 0 });
  await assert.rejects(wrong.messages.create({ model: 'default', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] }), (e) => {
    assert.ok(e instanceof Anthropic.AuthenticationError);
    assert.equal(e.error.type, 'error');
    assert.equal(e.error.error.type, 'authentication_error');
    assert.ok(!JSON.stringify(e.error).includes('sk-ant-wrong'));
    return true;
  });
});

test('403: a model the key is not granted', async () => {
  const limited = new Anthropic({ baseURL: gatewayUrl, apiKey: limitedKey, maxRetries: 0 });
  await assert.rejects(limited.messages.create({ model: 'default', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] }), (e) => e instanceof Anthropic.PermissionDeniedError && e.error.error.type === 'permission_error');
});

test('404: an unknown model', async () => {
  await assert.rejects(client.messages.create({ model: 'no-such-model', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] }), (e) => e instanceof Anthropic.NotFoundError && e.error.error.type === 'not_found_error');
});

test('400: max_tokens missing', async () => {
  await assert.rejects(client.messages.create({ model: 'default', messages: [{ role: 'user', content: 'Hi' }] }), (e) => e instanceof Anthropic.BadRequestError && e.error.error.type === 'invalid_request_error');
});

const anthropicTypes = { 400: 'invalid_request_error', 429: 'rate_limit_error', 500: 'api_error', 502: 'api_error', 503: 'overloaded_error', 504: 'api_error' };
for (const { name, fault: spec, status, retryAfter } of upstreamErrors) {
  test(`upstream error: ${name}`, async () => {
    await fault(spec);
    await assert.rejects(client.messages.create({ model: 'default', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] }), (e) => {
      assert.ok(e instanceof Anthropic.APIError, String(e));
      assert.equal(e.status, status);
      assert.equal(e.error.error.type, anthropicTypes[status]);
      if (retryAfter) {
        assert.equal(e.headers.get('retry-after'), retryAfter);
      }
      return true;
    });
  });
}

test('an error after the first streamed byte arrives as the error event', async () => {
  await fault({ malformedChunkAt: 3 });
  const stream = client.messages.stream({ model: 'default', max_tokens: 200, messages: [{ role: 'user', content: 'A long answer please' }] });
  await assert.rejects(stream.finalMessage(), (e) => e instanceof Anthropic.APIError && /api_error|error/.test(String(e.message)));
});

test('cancellation: aborting the request ends it at once', () => assertAbortsAtOnce(
  (signal) => client.messages.create({ model: 'default', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'Slow' }] }, { signal }),
  (e) => e instanceof Anthropic.APIUserAbortError));

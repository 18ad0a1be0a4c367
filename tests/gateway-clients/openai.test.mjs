// Licensed under the MIT License.
// The official `openai` npm package against the gateway's /v1/chat/completions and /v1/models.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { gatewayUrl, key, limitedKey, fault, weatherSchema, answerSchema, upstreamErrors, assertAbortsAtOnce } from './helpers.mjs';

const client = new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: key, maxRetries: 0 });

test('models list: the configured clients and aliases', async () => {
  const ids = [];
  for await (const model of client.models.list()) {
    ids.push(model.id);
  }
  assert.ok(ids.includes('default') && ids.includes('fast') && ids.includes('gpt-4o-mini'), ids.join(', '));
});

test('models list: only what the key may use', async () => {
  const limited = new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: limitedKey, maxRetries: 0 });
  const ids = [];
  for await (const model of limited.models.list()) {
    ids.push(model.id);
  }
  assert.deepEqual(ids, ['fast']);
});

test('non-streaming completion with usage', async () => {
  const completion = await client.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'Hello gateway' }] });
  assert.equal(completion.object, 'chat.completion');
  assert.match(completion.choices[0].message.content, /You said "Hello gateway"/);
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.ok(completion.usage.prompt_tokens > 0 && completion.usage.completion_tokens > 0);
  assert.equal(completion.usage.total_tokens, completion.usage.prompt_tokens + completion.usage.completion_tokens);
});

test('streaming with include_usage: deltas, finish reason, then the usage chunk', async () => {
  const stream = await client.chat.completions.create({
    model: 'default',
    messages: [{ role: 'user', content: 'Stream to me' }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  let finish = null;
  let usage = null;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
    usage = chunk.usage ?? usage;
  }
  assert.match(text, /You said "Stream to me"/);
  assert.equal(finish, 'stop');
  assert.ok(usage && usage.prompt_tokens > 0 && usage.completion_tokens > 0, JSON.stringify(usage));
});

test('a full tool round trip: the call comes back to the caller, the result goes in, the answer uses it', async () => {
  const tools = [{ type: 'function', function: { name: 'get_weather', description: 'Weather of a city', parameters: weatherSchema } }];
  const messages = [{ role: 'user', content: 'call get_weather city=Paris' }];
  const first = await client.chat.completions.create({ model: 'default', messages, tools });
  assert.equal(first.choices[0].finish_reason, 'tool_calls');
  const call = first.choices[0].message.tool_calls[0];
  assert.equal(call.function.name, 'get_weather');
  assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Paris' });

  messages.push(first.choices[0].message);
  messages.push({ role: 'tool', tool_call_id: call.id, content: '21 degrees and sunny' });
  const second = await client.chat.completions.create({ model: 'default', messages, tools });
  assert.match(second.choices[0].message.content, /21 degrees and sunny/);
});

test('a streamed tool call', async () => {
  const stream = await client.chat.completions.create({
    model: 'default',
    messages: [{ role: 'user', content: 'call get_weather city=Oslo' }],
    tools: [{ type: 'function', function: { name: 'get_weather', parameters: weatherSchema } }],
    stream: true,
  });
  const calls = [];
  let finish = null;
  for await (const chunk of stream) {
    for (const call of chunk.choices[0]?.delta?.tool_calls ?? []) {
      calls.push(call);
    }
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  assert.equal(finish, 'tool_calls');
  assert.equal(calls[0].function.name, 'get_weather');
  assert.deepEqual(JSON.parse(calls[0].function.arguments), { city: 'Oslo' });
});

test('JSON schema output', async () => {
  const completion = await client.chat.completions.create({
    model: 'default',
    messages: [{ role: 'user', content: 'Answer in JSON' }],
    response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: answerSchema, strict: true } },
  });
  const parsed = JSON.parse(completion.choices[0].message.content);
  assert.equal(typeof parsed.answer, 'string');
});

test('reasoning when asked for', async () => {
  const completion = await client.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'Think first' }], reasoning_effort: 'low' });
  assert.match(completion.choices[0].message.reasoning_content, /The user asked/);
});

test('an image part is accepted', async () => {
  const pixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
  const completion = await client.chat.completions.create({
    model: 'default',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Describe it' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${pixel}` } }] }],
  });
  assert.ok(completion.choices[0].message.content.length > 0);
});

test('401: an unknown key', async () => {
  const wrong = new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: 'sk-wrong', maxRetries: 0 });
  await assert.rejects(wrong.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'Hi' }] }), (e) => {
    assert.ok(e instanceof OpenAI.AuthenticationError);
    assert.equal(e.status, 401);
    assert.ok(!JSON.stringify(e.error).includes('sk-wrong'), 'the key is not echoed');
    return true;
  });
});

test('403: a model the key is not granted', async () => {
  const limited = new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: limitedKey, maxRetries: 0 });
  await assert.rejects(limited.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'Hi' }] }), (e) => e instanceof OpenAI.PermissionDeniedError && e.status === 403);
});

test('404: an unknown model', async () => {
  await assert.rejects(client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'Hi' }] }), (e) => {
    assert.ok(e instanceof OpenAI.NotFoundError);
    assert.equal(e.code, 'model_not_found');
    return true;
  });
});

test('400: n other than 1 is refused clearly', async () => {
  await assert.rejects(client.chat.completions.create({ model: 'default', n: 2, messages: [{ role: 'user', content: 'Hi' }] }), (e) => {
    assert.ok(e instanceof OpenAI.BadRequestError);
    assert.match(e.message, /n is 2/);
    return true;
  });
});

for (const { name, fault: spec, status, retryAfter } of upstreamErrors) {
  test(`upstream error: ${name}`, async () => {
    await fault(spec);
    await assert.rejects(client.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'Hi' }] }), (e) => {
      assert.ok(e instanceof OpenAI.APIError, String(e));
      assert.equal(e.status, status);
      if (status === 400) {
        assert.equal(e.code, 'context_length_exceeded');
      }
      if (retryAfter) {
        assert.equal(e.headers.get('retry-after'), retryAfter);
      }
      return true;
    });
  });
}

test('an error after the first streamed byte arrives as the in-stream error', async () => {
  await fault({ malformedChunkAt: 3 });
  const stream = await client.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'A long answer please' }], stream: true });
  await assert.rejects(async () => {
    for await (const chunk of stream) {
      void chunk;
    }
  }, (e) => e instanceof OpenAI.APIError);
});

test('cancellation: aborting the request ends it at once', () => assertAbortsAtOnce(
  (signal) => client.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'Slow' }], stream: true }, { signal }),
  (e) => e instanceof OpenAI.APIUserAbortError));

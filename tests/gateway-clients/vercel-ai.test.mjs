// Licensed under the MIT License.
// Vercel's `ai` with `@ai-sdk/openai` (its Chat Completions model) against the gateway.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateText, streamText, tool, jsonSchema, Output, APICallError } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { gatewayUrl, key, limitedKey, fault, weatherSchema, answerSchema, upstreamErrors, assertAbortsAtOnce } from './helpers.mjs';

const provider = createOpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: key });
const model = provider.chat('default');

function isStatus(status) {
  return (e) => {
    const error = APICallError.isInstance(e) ? e : e?.lastError ?? e?.cause;
    assert.ok(APICallError.isInstance(error), `expected an APICallError, got ${e}`);
    assert.equal(error.statusCode, status);
    return true;
  };
}

test('models list through the provider\'s base URL', async () => {
  const response = await fetch(`${gatewayUrl}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
  const body = await response.json();
  assert.ok(body.data.some((m) => m.id === 'default'));
});

test('generateText: text and usage', async () => {
  const result = await generateText({ model, prompt: 'Hello gateway', maxRetries: 0 });
  assert.match(result.text, /You said "Hello gateway"/);
  assert.equal(result.finishReason, 'stop');
  assert.ok(result.usage.inputTokens > 0 && result.usage.outputTokens > 0, JSON.stringify(result.usage));
});

test('streamText: the text stream and the usage at the end', async () => {
  const result = streamText({ model, prompt: 'Stream to me', maxRetries: 0 });
  let text = '';
  for await (const part of result.textStream) {
    text += part;
  }
  assert.match(text, /You said "Stream to me"/);
  const usage = await result.usage;
  assert.ok(usage.inputTokens > 0 && usage.outputTokens > 0, JSON.stringify(usage));
});

test('a full tool round trip: the call comes back, the result goes in, the answer uses it', async () => {
  const tools = { get_weather: tool({ description: 'Weather of a city', inputSchema: jsonSchema(weatherSchema) }) };
  const first = await generateText({ model, tools, prompt: 'call get_weather city=Paris', maxRetries: 0 });
  assert.equal(first.finishReason, 'tool-calls');
  const call = first.toolCalls[0];
  assert.equal(call.toolName, 'get_weather');
  assert.deepEqual(call.input, { city: 'Paris' });

  const messages = [
    { role: 'user', content: 'call get_weather city=Paris' },
    ...first.response.messages,
    { role: 'tool', content: [{ type: 'tool-result', toolCallId: call.toolCallId, toolName: 'get_weather', output: { type: 'text', value: '21 degrees and sunny' } }] },
  ];
  const second = await generateText({ model, tools, messages, maxRetries: 0 });
  assert.match(second.text, /21 degrees and sunny/);
});

test('a streamed tool call', async () => {
  const result = streamText({ model, tools: { get_weather: tool({ inputSchema: jsonSchema(weatherSchema) }) }, prompt: 'call get_weather city=Oslo', maxRetries: 0 });
  const calls = await result.toolCalls;
  assert.deepEqual(calls[0].input, { city: 'Oslo' });
  assert.equal(await result.finishReason, 'tool-calls');
});

test('JSON schema output', async () => {
  const result = await generateText({ model, output: Output.object({ schema: jsonSchema(answerSchema) }), prompt: 'Answer in JSON', maxRetries: 0 });
  assert.equal(typeof result.output.answer, 'string');
});

test('401: an unknown key', async () => {
  const wrong = createOpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: 'sk-wrong' }).chat('default');
  await assert.rejects(generateText({ model: wrong, prompt: 'Hi', maxRetries: 0 }), isStatus(401));
});

test('403: a model the key is not granted', async () => {
  const limited = createOpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: limitedKey }).chat('default');
  await assert.rejects(generateText({ model: limited, prompt: 'Hi', maxRetries: 0 }), isStatus(403));
});

test('404: an unknown model', async () => {
  await assert.rejects(generateText({ model: provider.chat('no-such-model'), prompt: 'Hi', maxRetries: 0 }), isStatus(404));
});

for (const { name, fault: spec, status, retryAfter } of upstreamErrors) {
  test(`upstream error: ${name}`, async () => {
    await fault(spec);
    await assert.rejects(generateText({ model, prompt: 'Hi', maxRetries: 0 }), (e) => {
      isStatus(status)(e);
      if (retryAfter) {
        const error = APICallError.isInstance(e) ? e : e.lastError;
        assert.equal(error.responseHeaders['retry-after'], retryAfter);
      }
      return true;
    });
  });
}

test('an error after the first streamed byte arrives as an error part', async () => {
  await fault({ malformedChunkAt: 3 });
  const result = streamText({ model, prompt: 'A long answer please', maxRetries: 0, onError: () => {} });
  const errors = [];
  for await (const part of result.fullStream) {
    if (part.type === 'error') {
      errors.push(part.error);
    }
  }
  assert.equal(errors.length, 1);
});

test('cancellation: aborting the request ends it at once', () => assertAbortsAtOnce(
  (signal) => generateText({ model, prompt: 'Slow', maxRetries: 0, abortSignal: signal }),
  (e) => e.name === 'AbortError' || /abort/i.test(String(e))));

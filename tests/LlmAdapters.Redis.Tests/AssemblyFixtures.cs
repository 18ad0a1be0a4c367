// Licensed under the MIT License.

// One redis-server for the whole assembly, started before the first test and stopped after the last.
[assembly: AssemblyFixture(typeof(LlmAdapters.TestUtilities.Redis.RedisServer))]

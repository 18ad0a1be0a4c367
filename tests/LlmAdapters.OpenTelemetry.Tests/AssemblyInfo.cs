// Licensed under the MIT License.

// The exporters listen to process-wide ActivitySources and Meters: test classes running side by side would see each
// other's spans (the fallback test counted a tool-loop test's chat spans), so the whole project is one collection and
// its tests run one at a time.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]

// TorchSharp's default generator is process-wide and module constructors draw from it: tests that seed it and build
// a network must not interleave with others, so the test classes run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

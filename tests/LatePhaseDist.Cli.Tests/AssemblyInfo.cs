// Training tests seed torch's process-wide default generator and share 2 cores; run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

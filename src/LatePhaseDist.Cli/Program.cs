using LatePhaseDist.Core;

Console.WriteLine(TorchRuntime.Describe());

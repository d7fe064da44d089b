using LatePhaseDist.Core.Models;
using static TorchSharp.torch;

namespace LatePhaseDist.Cli.Runs;

/// <summary>
/// Saves and loads plain networks in TorchSharp's own format (<c>Module.save</c>), as the model zoo builds them.
/// </summary>
internal static class NetworkFiles
{
    /// <summary>
    /// Saves <paramref name="network"/> to <paramref name="path"/>, replacing the file only when complete.
    /// </summary>
    public static void Save(nn.Module network, string path)
    {
        string partial = path + ".partial";
        network.save(partial);
        File.Move(partial, path, overwrite: true);
    }

    /// <summary>A fresh network of <paramref name="spec"/> with the weights saved in <paramref name="path"/>.</summary>
    public static nn.Module<Tensor, Tensor> Load(ModelSpec spec, string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} does not exist; train the run first.", path);
        }

        nn.Module<Tensor, Tensor> network = ModelZoo.Create(spec);
        network.load(path);
        return network;
    }
}

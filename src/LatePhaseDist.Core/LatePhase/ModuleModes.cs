using static TorchSharp.torch;

namespace LatePhaseDist.Core.LatePhase;

/// <summary>
/// The train/eval flag of a module and of every submodule, captured so that it can be put back exactly after a pass
/// that needs another mode (PyTorch's <c>model.train(was_training)</c> restores only the root's flag).
/// </summary>
internal sealed class ModuleModes
{
    private readonly List<(nn.Module Module, bool Training)> modes;

    private ModuleModes(List<(nn.Module Module, bool Training)> modes)
    {
        this.modes = modes;
    }

    /// <summary>Records the flags of <paramref name="root"/> and all its submodules.</summary>
    public static ModuleModes Capture(nn.Module root)
    {
        var modes = new List<(nn.Module Module, bool Training)> { (root, root.training) };
        modes.AddRange(root.modules().Select(m => (m, m.training)));
        return new ModuleModes(modes);
    }

    /// <summary>Puts every recorded flag back.</summary>
    public void Restore()
    {
        // train() recurses into children, and TorchSharp lists a parent before its descendants, so setting the
        // flags in that order leaves every module with its own.
        foreach ((nn.Module module, bool training) in modes)
        {
            module.train(training);
        }
    }
}

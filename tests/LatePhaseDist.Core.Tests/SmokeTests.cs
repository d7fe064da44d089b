using TorchSharp;

namespace LatePhaseDist.Core.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Torch_Loads_AndAdds()
    {
        using var a = torch.ones(3);

        using var b = a + a;

        Assert.Equal(6f, b.sum().item<float>());
    }
}

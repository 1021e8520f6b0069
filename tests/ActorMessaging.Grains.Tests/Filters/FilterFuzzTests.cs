using System.Text;
using ActorMessaging.Filters;
using ActorMessaging.Testing.Fuzz;

namespace ActorMessaging.Grains.Tests.Filters;

/// <summary>Issue 12 fuzz: any text either compiles or is refused with <c>1008 InvalidFilter</c>, and what compiles never throws when evaluated.</summary>
public sealed class FilterFuzzTests
{
    private static readonly StoredMessage[] Messages =
    [
        new(1, DateTimeOffset.UnixEpoch, "id-1", Encoding.UTF8.GetBytes("{}"), "application/json", new Dictionary<string, string> { ["color"] = "red", ["odd name"] = "5" }, "k"),
        new(2, DateTimeOffset.UnixEpoch, null, ReadOnlyMemory<byte>.Empty, null, null, null),
        new(3, DateTimeOffset.UnixEpoch, "x", ReadOnlyMemory<byte>.Empty, null, new Dictionary<string, string> { ["color"] = new string('%', 1024), ["sys.sequence"] = "1e309" }, null),
    ];

    [Theory]
    [InlineData(20261203)]
    [InlineData(12)]
    public void RandomExpressions_CompileOrAreInvalidFilter_AndNeverThrowWhenEvaluated(int seed)
    {
        var inputs = new FuzzInputs(seed);
        for (var round = 0; round < 3_000; round++)
        {
            var expression = inputs.Filter();
            MessageFilter filter;
            try
            {
                filter = MessageFilter.Compile(expression);
            }
            catch (BrokerException exception)
            {
                Assert.True(exception.Code == ErrorCode.InvalidFilter, $"seed {seed} round {round}: '{expression}' gave {exception.Code}");
                continue;
            }

            foreach (var message in Messages)
            {
                _ = filter.Matches(message);
            }
        }
    }
}

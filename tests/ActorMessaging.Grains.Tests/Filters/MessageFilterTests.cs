using System.Text;
using ActorMessaging.Filters;

namespace ActorMessaging.Grains.Tests.Filters;

public sealed class MessageFilterTests
{
    private static readonly StoredMessage Order = new(
        42, DateTimeOffset.UnixEpoch, "order-7", Encoding.UTF8.GetBytes("{}"), "application/json",
        new Dictionary<string, string> { ["color"] = "red", ["priority"] = "5", ["ce-type"] = "order.created", ["express"] = "true", ["note"] = "50% off_today" },
        "customer-1");

    [Theory]
    [InlineData("color = 'red'", true)]
    [InlineData("color = 'RED'", false)]
    [InlineData("color <> 'blue'", true)]
    [InlineData("color != 'red'", false)]
    [InlineData("user.color = 'red'", true)]
    [InlineData("[color] = 'red'", true)]
    [InlineData("priority > 3", true)]
    [InlineData("priority >= 5 AND priority <= 5.0", true)]
    [InlineData("priority < 5", false)]
    [InlineData("priority = -5", false)]
    [InlineData("priority > 1e0", true)]
    [InlineData("priority = '5'", true)]
    [InlineData("express = TRUE", true)]
    [InlineData("express = false", false)]
    [InlineData("color IN ('blue', 'red')", true)]
    [InlineData("color NOT IN ('blue', 'red')", false)]
    [InlineData("priority IN (1, 5)", true)]
    [InlineData("ce-type LIKE 'order.%'", true)]
    [InlineData("ce-type LIKE 'order._reated'", true)]
    [InlineData("ce-type LIKE 'order'", false)]
    [InlineData("ce-type NOT LIKE '%deleted'", true)]
    [InlineData("note LIKE '50!% off!_%' ESCAPE '!'", true)]
    [InlineData("note LIKE '50!% off!_x%' ESCAPE '!'", false)]
    [InlineData("EXISTS(color)", true)]
    [InlineData("EXISTS(size)", false)]
    [InlineData("NOT EXISTS(size)", true)]
    [InlineData("size IS NULL AND color IS NOT NULL", true)]
    [InlineData("sys.messageId = 'order-7'", true)]
    [InlineData("sys.MessageId LIKE 'order-%'", true)]
    [InlineData("sys.contentType = 'application/json'", true)]
    [InlineData("sys.orderingKey = 'customer-1'", true)]
    [InlineData("sys.sequence >= 42", true)]
    [InlineData("color = 'blue' OR priority = 5", true)]
    [InlineData("NOT (color = 'blue' OR priority = 4)", true)]
    [InlineData("(color = 'red' OR color = 'blue') AND NOT priority > 9", true)]
    [InlineData("color = 'blue' OR color = 'green' AND priority = 5", false)]
    [InlineData("1 = 1", true)]
    [InlineData("'a' < 'b'", true)]
    [InlineData("color = 'it''s'", false)]
    [InlineData("color = 'red' and priority = 5", true)]
    public void Matches_FollowsSqlFilterSemantics(string filter, bool expected) =>
        Assert.Equal(expected, MessageFilter.Compile(filter).Matches(Order));

    // Service Bus semantics: a missing attribute is unknown, and unknown never matches, even negated.
    [Theory]
    [InlineData("size = 3")]
    [InlineData("size <> 3")]
    [InlineData("NOT (size = 3)")]
    [InlineData("size IN (1, 2)")]
    [InlineData("size NOT IN (1, 2)")]
    [InlineData("size LIKE '%'")]
    [InlineData("size NOT LIKE 'x'")]
    [InlineData("color = 'red' AND size = 3")]
    [InlineData("color = NULL")]
    [InlineData("color > 3")]
    [InlineData("express > 1")]
    public void Matches_IsFalse_WhenAValueIsUnknown_OrDoesNotCompare(string filter) =>
        Assert.False(MessageFilter.Compile(filter).Matches(Order));

    [Fact]
    public void Matches_UnknownOrTrue_IsTrue()
    {
        Assert.True(MessageFilter.Compile("size = 3 OR color = 'red'").Matches(Order));
        Assert.True(MessageFilter.All.Matches(Order));
    }

    [Theory]
    [InlineData("", 1, "expected a property name or a literal, found the end of the filter")]
    [InlineData("color = ", 9, "expected a property name or a literal, found the end of the filter")]
    [InlineData("color 'red'", 7, "expected a comparison (=, <>, !=, <, <=, >, >=), IN, LIKE or IS, found string 'red'")]
    [InlineData("(color = 'red'", 15, "expected ')' or AND, OR")]
    [InlineData("color = 'red' priority = 5", 15, "expected AND, OR or the end of the filter, found 'priority'")]
    [InlineData("color = 'red", 9, "expected a closing quote for the string")]
    [InlineData("color IN ()", 11, "expected a literal in the IN list, found ')'")]
    [InlineData("color IN ('a' 'b')", 15, "expected ',' or ')' in the IN list")]
    [InlineData("color LIKE red", 12, "expected a quoted pattern after LIKE")]
    [InlineData("note LIKE 'a' ESCAPE '!!'", 22, "expected an escape of exactly one character")]
    [InlineData("EXISTS color", 8, "expected '(' after EXISTS")]
    [InlineData("sys.label = 'x'", 1, "expected a system property (sys.messageId, sys.contentType, sys.orderingKey or sys.sequence)")]
    [InlineData("color = 'a' AND", 16, "expected a property name or a literal, found the end of the filter")]
    [InlineData("color NOT = 'a'", 11, "expected IN or LIKE after NOT")]
    [InlineData("color IS 'a'", 10, "expected NULL or NOT NULL")]
    [InlineData("color # 1", 7, "expected a name, a literal, an operator or a parenthesis, found '#'")]
    [InlineData("priority = 1.2.3", 12, "expected a number")]
    [InlineData("[color = 1", 1, "expected ']' closing the bracketed name")]
    public void Compile_Malformed_FailsWithInvalidFilter_NamingPositionAndExpectation(string filter, int position, string expected)
    {
        var error = Assert.Throws<BrokerException>(() => MessageFilter.Compile(filter));

        Assert.Equal(ErrorCode.InvalidFilter, error.Code);
        Assert.Contains($"at position {position}: {expected}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_DeepNesting_OrTooLong_FailsWithInvalidFilter_NotAStackOverflow()
    {
        var nested = new string('(', 10_000) + "1 = 1" + new string(')', 10_000);

        Assert.Equal(ErrorCode.InvalidFilter, Assert.Throws<BrokerException>(() => MessageFilter.Compile(nested[..4000])).Code);
        Assert.Equal(ErrorCode.InvalidFilter, Assert.Throws<BrokerException>(() => MessageFilter.Compile(nested)).Code);
    }

    [Fact]
    public void Like_WithManyWildcards_MatchesInLinearTime()
    {
        var filter = MessageFilter.Compile("note LIKE '" + string.Concat(Enumerable.Repeat("%a", 30)) + "%b'");
        var message = Order with { Attributes = new Dictionary<string, string> { ["note"] = new string('a', 1000) } };

        Assert.False(filter.Matches(message));
    }
}

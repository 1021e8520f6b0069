namespace ActorMessaging.Filters;

/// <summary>Builds the error for a malformed filter: where it failed and what was expected there.</summary>
internal static class FilterSyntax
{
    public static BrokerException Error(string filter, int position, string expected, string found) =>
        new(ErrorCode.InvalidFilter, $"Filter \"{filter}\" is invalid at position {position}: expected {expected}, found {found}.");

    public static BrokerException Error(string filter, FilterToken at, string expected) =>
        Error(filter, at.Position, expected, at.Describe());
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace ActorMessaging.Gateway.Errors;

/// <summary>Builds the problem details every HTTP API error is sent as: status from <see cref="ErrorStatus"/>, plus <c>code</c> and <c>error</c>.</summary>
internal static class ApiProblems
{
    public const string CodeMember = "code";
    public const string ErrorMember = "error";

    public static ProblemDetails Create(ErrorCode code, string detail, string? instance = null)
    {
        var status = ErrorStatus.Of(code);
        return new ProblemDetails
        {
            Status = status,
            Title = ReasonPhrases.GetReasonPhrase(status),
            Detail = detail,
            Instance = instance,
            Extensions =
            {
                [CodeMember] = (int)code,
                [ErrorMember] = code.ToString(),
            },
        };
    }

    public static ProblemDetails Create(BrokerException exception, string? instance = null) =>
        Create(exception.Code, exception.Message, instance);

    /// <summary>The problem as a result for <paramref name="context"/>, with <c>Retry-After</c> set when the error is transient.</summary>
    public static IResult Result(HttpContext context, BrokerException exception)
    {
        if (ErrorStatus.RetryAfter(exception.Code) is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return TypedResults.Problem(Create(exception, context.Request.Path));
    }
}

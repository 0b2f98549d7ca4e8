namespace CloudNativeApp.LambdaHosting.Runtime;

/// <summary>
/// How many invocations the process runs at once. Lambda Managed Instances set <c>AWS_LAMBDA_MAX_CONCURRENCY</c>
/// (the function's <c>PerExecutionEnvironmentMaxConcurrency</c>, 1 to 1,600); without it Lambda hands out one
/// invocation at a time and the server never polls twice at once.
/// </summary>
/// <param name="Workers">Invocations in flight at most: one Runtime API poller each.</param>
/// <param name="IsMultiConcurrent">
/// The variable (or <see cref="LambdaHostingOptions.MaxConcurrency"/>) is set and valid: Managed Instances mode,
/// even for 1 (then, as in AWS's runtime, the process-wide trace variable is never set either).
/// </param>
/// <param name="Problem">Why a configured value was not used as given (logged as a warning at startup).</param>
internal readonly record struct LambdaConcurrency(int Workers, bool IsMultiConcurrent, string? Problem = null)
{
    public const string Variable = "AWS_LAMBDA_MAX_CONCURRENCY";

    /// <summary>Lambda's upper bound for <c>PerExecutionEnvironmentMaxConcurrency</c>.</summary>
    public const int Maximum = 1600;

    public static readonly LambdaConcurrency OneAtATime = new(1, false);

    /// <summary>
    /// The option when set, else the variable. A value that is not a whole number from 1 up (0, -1, "abc") leaves
    /// the process serving one invocation at a time, as without the variable, and says so: Lambda itself only ever
    /// sets valid values, and a runtime that refused to start would turn a typo into an outage. Above 1,600 (more
    /// than Lambda allows) it is capped there.
    /// </summary>
    public static LambdaConcurrency Resolve(int? configured, string? variable)
    {
        if (configured is { } value)
        {
            return FromNumber(value, $"{nameof(LambdaHostingOptions)}.{nameof(LambdaHostingOptions.MaxConcurrency)}={value}");
        }

        if (string.IsNullOrWhiteSpace(variable))
        {
            return OneAtATime;
        }

        var text = variable.Trim();
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            return OneAtATime with { Problem = $"{Variable}='{variable}' is not a whole number; serving one invocation at a time." };
        }

        return FromNumber(parsed, $"{Variable}={text}");
    }

    private static LambdaConcurrency FromNumber(long value, string setting) => value switch
    {
        < 1 => OneAtATime with { Problem = $"{setting} is not 1 or more; serving one invocation at a time." },
        > Maximum => new(Maximum, true, $"{setting} is above Lambda's maximum of {Maximum}; running {Maximum} at most."),
        _ => new((int)value, true),
    };
}

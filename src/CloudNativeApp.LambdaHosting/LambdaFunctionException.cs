namespace CloudNativeApp.LambdaHosting;

/// <summary>
/// A function error whose <c>errorType</c> and <c>errorMessage</c> are meant for the caller
/// (posted to the Runtime API's <c>/error</c> endpoint; other exceptions use their type name).
/// </summary>
public sealed class LambdaFunctionException : Exception
{
    /// <summary>A <c>Function.Error</c> with a generic message.</summary>
    public LambdaFunctionException()
        : this("Function.Error", "The function failed.")
    {
    }

    /// <summary>A <c>Function.Error</c> with <paramref name="message"/> as its <c>errorMessage</c>.</summary><param name="message">The message for the caller.</param>
    public LambdaFunctionException(string message)
        : this("Function.Error", message)
    {
    }

    /// <summary>A <c>Function.Error</c> caused by <paramref name="innerException"/>.</summary><param name="message">The message for the caller.</param><param name="innerException">The cause (logged, not sent).</param>
    public LambdaFunctionException(string message, Exception innerException)
        : this("Function.Error", message, innerException)
    {
    }

    /// <summary>A function error of the given type.</summary><param name="errorType">The <c>errorType</c> the caller sees, e.g. <c>Calculator.ValidationFailed</c>.</param><param name="message">The message for the caller.</param><param name="innerException">The cause (logged, not sent).</param>
    public LambdaFunctionException(string errorType, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(errorType);
        ErrorType = errorType;
    }

    /// <summary>The <c>errorType</c> posted to the Runtime API.</summary>
    public string ErrorType { get; }
}

namespace CloudNativeApp.LambdaHosting;

/// <summary>
/// A function error whose <c>errorType</c> and <c>errorMessage</c> are meant for the caller
/// (posted to the Runtime API's <c>/error</c> endpoint; other exceptions use their type name).
/// </summary>
public sealed class LambdaFunctionException : Exception
{
    public LambdaFunctionException()
        : this("Function.Error", "The function failed.")
    {
    }

    public LambdaFunctionException(string message)
        : this("Function.Error", message)
    {
    }

    public LambdaFunctionException(string message, Exception innerException)
        : this("Function.Error", message, innerException)
    {
    }

    public LambdaFunctionException(string errorType, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(errorType);
        ErrorType = errorType;
    }

    public string ErrorType { get; }
}

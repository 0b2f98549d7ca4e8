using Microsoft.Extensions.Configuration;

namespace CloudNativeApp.LambdaHosting;

/// <summary>
/// Reads the <c>Lambda:</c> configuration section into <see cref="LambdaHostingOptions"/> by hand: the configuration
/// binder's reflection is neither trim- nor AOT-safe, and there is one key. Without configuration (a bare service
/// collection) the defaults stay.
/// </summary>
internal sealed class LambdaHostingConfiguration(IServiceProvider services) : IConfigureOptions<LambdaHostingOptions>
{
    public void Configure(LambdaHostingOptions options)
    {
        if (services.GetService<IConfiguration>()?[LambdaHostingOptions.ResponseStreamingKey] is not { Length: > 0 } value)
        {
            return;
        }

        options.ResponseStreaming = bool.TryParse(value.Trim(), out var streaming)
            ? streaming
            : throw new OptionsValidationException(
                nameof(LambdaHostingOptions),
                typeof(LambdaHostingOptions),
                [$"{LambdaHostingOptions.ResponseStreamingKey} must be true or false, not '{value}'."]);
    }
}

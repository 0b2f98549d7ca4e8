namespace CloudNativeApp.Tests.Infrastructure;

/// <summary>
/// The served OpenAPI document, as third-party tools read it: 0 errors under Redocly CLI's <c>recommended</c> rules
/// and Spectral's <c>spectral:oas</c> in every <c>Auth:Mode</c>, and under the OWASP API Security ruleset only the
/// findings listed here (and in docs/api.md) with the reason they do not apply. The tools come from the repository's
/// node_modules (<c>npm ci</c>); their configurations are in OpenApiLint/.
/// </summary>
public sealed class OpenApiLintTests
{
    private const string ProblemSchemas = @"components\.schemas\.(ProblemDetails|HttpValidationProblemDetails)\..*";

    /// <summary>OWASP findings (rule, where, as Spectral's JSON path) that do not apply, and why.</summary>
    private static readonly (string Rule, Regex Where, string Reason)[] OwaspFindingsThatDoNotApply =
    [
        ("owasp:api4:2023-rate-limit", Where(".*"),
            "The rate limiter answers 429 with Retry-After; it sends no RateLimit or X-RateLimit headers on other responses (the IETF RateLimit fields are still a draft)."),
        ("owasp:api8:2023-define-cors-origin", Where(".*"),
            "CORS is off unless Cors:AllowedOrigins lists origins, and is then the same for every response: a deployment's setting, not part of an operation."),
        ("owasp:api4:2023-string-limit", Where(ProblemSchemas),
            "Problem details are written by the server and never read from a client: a length limit would constrain nothing."),
        ("owasp:api4:2023-array-limit", Where(ProblemSchemas),
            "A validation problem's errors are written by the server, one list per invalid field."),
        ("owasp:api4:2023-string-limit", Where(@"components\.schemas\.Item\.properties\.createdBy"),
            "Written by the server from the identity provider's sub (or the gateway's principal), whose length the app does not choose."),
        ("owasp:api4:2023-string-limit", Where(@"paths\./items/\{id\}\.(get|put|patch|delete)\.parameters\[\d\]\.schema"),
            "If-Match and If-None-Match carry lists of entity tags, bounded only by Limits:MaxRequestHeadersTotalBytes (32 KB by default)."),
        ("owasp:api2:2023-write-restricted", Where(@"paths\./calculator\.post\.security"),
            "POST /calculator writes nothing: it is a calculation, anonymous in every Auth:Mode."),
        ("owasp:api2:2023-no-credentials-in-url", Where(@"paths\./items\.get\.parameters\[\d\]\.name"),
            "nextToken is an opaque position in a listing, not a credential; the name is part of the contract."),
        ("owasp:api9:2023-inventory-access", Where("servers.*"),
            "The one server URL is relative to the document, the same in every environment: where a document is served says which deployment it describes."),
        ("owasp:api9:2023-inventory-environment", Where("servers.*"),
            "As above: no per-environment server list to label."),
    ];

    public static TheoryData<string> Modes => new() { "None", "Jwt", "ApiGateway" };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Redocly_recommended_finds_no_errors(string mode)
    {
        var document = await SaveDocumentAsync(Settings(mode));

        var (_, output, errors) = await NodeTool.RunAsync(
            "@redocly/cli/bin/cli.js",
            ["lint", "--config", Config("redocly.yaml"), "--format", "json", document],
            new Dictionary<string, string> { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" });
        File.Delete(document);

        var report = JsonNode.Parse(output) ?? throw new InvalidOperationException($"Redocly wrote no report: {errors}");
        var problems = report["problems"]!.AsArray().Where(problem => problem!["severity"]!.GetValue<string>() == "error").ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Select(problem => problem!.ToJsonString())));
        Assert.Equal(0, report["totals"]!["errors"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Spectral_oas_finds_no_errors(string mode)
    {
        var findings = await SpectralAsync("spectral.yaml", Settings(mode));

        var errors = findings.Where(finding => finding.Severity == 0).ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public async Task Owasp_ruleset_errors_are_only_the_listed_ones_that_do_not_apply()
    {
        var errors = (await SpectralAsync("owasp.spectral.yaml", Settings("Jwt"))).Where(finding => finding.Severity == 0).ToList();

        var unexplained = errors.Where(finding => !OwaspFindingsThatDoNotApply.Any(listed => listed.Rule == finding.Code && listed.Where.IsMatch(finding.Path))).ToList();
        Assert.True(unexplained.Count == 0, $"OWASP findings to fix or list:{Environment.NewLine}{string.Join(Environment.NewLine, unexplained)}");
        Assert.All(OwaspFindingsThatDoNotApply, listed => Assert.Contains(errors, finding => finding.Code == listed.Rule && listed.Where.IsMatch(finding.Path)));
    }

    /// <summary>The production shape: writes need a token with a scope, owners alone change their items, requests are rate limited.</summary>
    private static Dictionary<string, string?> Settings(string mode) => new()
    {
        ["Auth:Mode"] = mode,
        ["Auth:Jwt:Authority"] = mode == "Jwt" ? "https://issuer.example.com" : null, // never contacted: the document needs no token
        ["Auth:WriteScope"] = mode == "None" ? null : "items:write",
        ["Auth:OwnerWrites"] = mode == "None" ? null : "true",
        ["RateLimiting:Enabled"] = mode == "None" ? "false" : "true",
    };

    private static async Task<List<Finding>> SpectralAsync(string ruleset, Dictionary<string, string?> settings)
    {
        var document = await SaveDocumentAsync(settings);
        var (_, output, errors) = await NodeTool.RunAsync(
            "@stoplight/spectral-cli/dist/index.js", ["lint", "--ruleset", Config(ruleset), "--format", "json", "--quiet", document], environment: null);
        File.Delete(document);

        var report = JsonNode.Parse(output) as JsonArray ?? throw new InvalidOperationException($"Spectral wrote no report: {output}{errors}");
        return [.. report.Select(finding => new Finding(
            finding!["code"]!.GetValue<string>(),
            finding["severity"]!.GetValue<int>(),
            // ["paths", "/items", "get", "parameters", "2", "name"] as paths./items.get.parameters[2].name
            Regex.Replace(string.Join('.', finding["path"]!.AsArray().Select(segment => segment!.ToString())), @"\.(\d+)(?=\.|$)", "[$1]"),
            finding["message"]!.GetValue<string>()))];
    }

    private static async Task<string> SaveDocumentAsync(Dictionary<string, string?> settings)
    {
        // Settings the app reads while it is being built (Auth, RateLimiting) must be host settings.
        await using var app = SecurityTestHost.Create("Development", [.. settings.Select(setting => (setting.Key, setting.Value))]);
        using var client = app.CreateClient();
        var path = Path.Combine(Path.GetTempPath(), $"openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, await client.GetStringAsync("/swagger/v1/swagger.json"));
        return path;
    }

    private static string Config(string name) => RepositoryRoot.Resolve("tests", "CloudNativeApp.Tests", "Infrastructure", "OpenApiLint", name);

    private static Regex Where(string pattern) => new($"^{pattern}$", RegexOptions.CultureInvariant);

    private sealed record Finding(string Code, int Severity, string Path, string Message);
}

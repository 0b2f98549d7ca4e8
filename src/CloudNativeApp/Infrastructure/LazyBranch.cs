namespace CloudNativeApp.Infrastructure;

public static class LazyBranchExtensions
{
    /// <summary>
    /// Like <c>UseWhen</c> for requests under <paramref name="pathPrefix"/>, but the branch's middleware is built on
    /// the first such request instead of at startup. For middleware that costs a cold start to construct and that
    /// most invocations never reach. Requests the branch does not handle continue down the main pipeline.
    /// </summary>
    public static IApplicationBuilder UseLazyBranch(this IApplicationBuilder app, PathString pathPrefix, Action<IApplicationBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(configure);
        return app.Use(next =>
        {
            // PublicationOnly: a branch that fails to build is tried again on the next request rather than cached as failed.
            var branch = new Lazy<RequestDelegate>(
                () =>
                {
                    var builder = app.New();
                    configure(builder);
                    builder.Run(next);
                    return builder.Build();
                },
                LazyThreadSafetyMode.PublicationOnly);
            return context => context.Request.Path.StartsWithSegments(pathPrefix) ? branch.Value(context) : next(context);
        });
    }
}

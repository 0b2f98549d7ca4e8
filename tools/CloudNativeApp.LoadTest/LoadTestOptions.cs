namespace CloudNativeApp.LoadTest;

public sealed record LoadTestOptions
{
    /// <summary>How long the clients run (the read-back afterwards is not included).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    public int Clients { get; init; } = 16;

    /// <summary>A hard bound on requests during the run, whatever the duration.</summary>
    public int MaxRequests { get; init; } = 500_000;

    /// <summary>Kill dynalite (SIGKILL) during the run and restart it on the same data.</summary>
    public bool InjectFault { get; init; }

    /// <summary>Freeze dynalite (SIGSTOP, then SIGCONT) instead of killing it: DynamoDB hangs rather than refuses.</summary>
    public bool FreezeInsteadOfKill { get; init; }

    /// <summary>When the kill happens; default a third of the way into the run.</summary>
    public TimeSpan? FaultAt { get; init; }

    /// <summary>How long dynalite stays dead.</summary>
    public TimeSpan Outage { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest the service may take, after dynalite is back, until requests succeed again.</summary>
    public TimeSpan AllowedRecovery { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest a 503 may take (the bound).</summary>
    public TimeSpan Allowed503Latency { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Client-side timeout; the app must answer long before it.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Seed for the clients' random choices, so a failing run can be repeated.</summary>
    public int Seed { get; init; } = Environment.TickCount;

    public TimeSpan EffectiveFaultAt => FaultAt ?? Duration / 3;

    public void Validate()
    {
        if (Duration <= TimeSpan.Zero || Clients < 1 || MaxRequests < 1 || Outage < TimeSpan.Zero)
        {
            throw new ArgumentException("--seconds, --clients and --max-requests must be positive and --outage-seconds not negative.");
        }

        if (InjectFault && EffectiveFaultAt + Outage >= Duration)
        {
            throw new ArgumentException(
                $"The fault ({EffectiveFaultAt.TotalSeconds} s + {Outage.TotalSeconds} s outage) must end before the run does ({Duration.TotalSeconds} s), so recovery is observed.");
        }
    }

    public static LoadTestOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadTestOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            double Seconds() => double.Parse(Value(), CultureInfo.InvariantCulture);
            int Integer() => int.Parse(Value(), CultureInfo.InvariantCulture);

            options = args[i] switch
            {
                "--seconds" => options with { Duration = TimeSpan.FromSeconds(Seconds()) },
                "--clients" => options with { Clients = Integer() },
                "--max-requests" => options with { MaxRequests = Integer() },
                "--fault" => options with { InjectFault = true },
                "--freeze" => options with { InjectFault = true, FreezeInsteadOfKill = true },
                "--fault-at" => options with { FaultAt = TimeSpan.FromSeconds(Seconds()) },
                "--outage-seconds" => options with { Outage = TimeSpan.FromSeconds(Seconds()) },
                "--seed" => options with { Seed = Integer() },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }

        options.Validate();
        return options;
    }

    public const string Usage = """
        Usage: dotnet run -c Release --project tools/CloudNativeApp.LoadTest -- [options]
          --seconds N          run the clients for N seconds (default 60)
          --clients N          concurrent clients (default 16)
          --max-requests N     stop after N requests even if time is left (default 500000)
          --fault              kill dynalite (SIGKILL) mid-run and restart it on the same data
          --freeze             instead of killing dynalite, freeze it (SIGSTOP) for the outage, then continue it
          --fault-at N         seconds into the run to kill it (default a third of the run)
          --outage-seconds N   how long dynalite stays down (default 5)
          --seed N             random seed for the clients' choices
        Exit code 0 when every check passed, 1 when one failed, 2 for bad arguments.
        """;
}

namespace CloudNativeApp.LambdaHosting.Runtime;

/// <summary>Runs one invocation and posts its outcome on <paramref name="client"/>; false when the Runtime API failed for good.</summary>
internal delegate Task<bool> InvocationProcessor(LambdaRuntimeClient client, LambdaInvocation invocation, ArrayBufferWriter<byte> response);

/// <summary>
/// Lambda Managed Instances: N workers, each looping <c>/next</c> → pipeline → <c>/response</c>, so up to N
/// invocations run at once through the one ASP.NET Core pipeline.
/// <para>
/// Each worker has its own kept-alive Runtime API connection: HTTP/1.1 has no multiplexing and a pending
/// <c>/next</c> holds its socket until an invocation arrives (possibly hours), so N pollers need N sockets; a shared
/// pool would only add locking to reach the same number.
/// </para>
/// <para>
/// Each worker is a dedicated thread that talks to the Runtime API with blocking calls (see
/// <see cref="SocketTransport"/>) and starts the pipeline on itself: receiving an invocation, posting its response
/// and polling again never wait for a thread-pool thread. Handlers that block (<c>Thread.Sleep</c>, sync I/O) cannot
/// stop the others' polling, which is what starves AWS's runtime (its pollers are thread-pool continuations). The pool
/// still runs the pipeline's continuations after an <c>await</c>, so it is also pre-sized to N + processor count.
/// </para>
/// </summary>
internal sealed partial class InvocationWorkers(string runtimeApi, Func<InvocationProcessor> createProcessor, ILogger logger)
{
    private readonly List<Worker> _workers = [];

    /// <summary>Set when the Runtime API failed in a way the function cannot recover from.</summary>
    public bool Failed { get; private set; }

    /// <summary>
    /// Starts <paramref name="count"/> workers; the task completes when all have stopped. Cancelling
    /// <paramref name="stopping"/> closes the connections of workers waiting on <c>/next</c> (they stop at once) and
    /// lets the ones running an invocation finish and post it first.
    /// </summary>
    public Task RunAsync(int count, Action onFatal, CancellationToken stopping)
    {
        PrepareThreadPool(count);
        var done = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var worker = new Worker(new LambdaRuntimeClient(runtimeApi, blockingIo: true));
            _workers.Add(worker);
            var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            done.Add(exited.Task);
            var thread = new Thread(() => Run(worker, exited, onFatal, stopping))
            {
                IsBackground = true,
                Name = $"Lambda worker {i + 1}",
            };

            // UnsafeStart: the worker must not inherit the starting thread's async-locals (its Activity, log scopes).
            thread.UnsafeStart();
        }

        stopping.Register(() =>
        {
            foreach (var worker in _workers)
            {
                worker.StopPolling();
            }
        });

        return Task.WhenAll(done);
    }

    /// <summary>
    /// Without this the pool starts with one thread per processor and adds more slowly: N invocations awaiting I/O
    /// and blocking in between would queue behind each other (AWS's fix for the same starvation, PR #2395).
    /// </summary>
    private static void PrepareThreadPool(int workers)
    {
        var wanted = workers + Environment.ProcessorCount;
        ThreadPool.GetMinThreads(out var worker, out var io);
        ThreadPool.SetMinThreads(Math.Max(worker, wanted), Math.Max(io, wanted));
    }

    private void Run(Worker worker, TaskCompletionSource exited, Action onFatal, CancellationToken stopping)
    {
        try
        {
            var process = createProcessor();
            var response = new ArrayBufferWriter<byte>(16 * 1024);
            while (worker.StartPolling(stopping))
            {
                LambdaInvocation invocation;
                try
                {
                    // Blocking I/O: this completes synchronously on this thread.
                    invocation = worker.Client.GetNextInvocationAsync(CancellationToken.None).GetAwaiter().GetResult();
                }
#pragma warning disable CA1031 // Without the Runtime API the function cannot work: stop the process with a failure code.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    if (!stopping.IsCancellationRequested)
                    {
                        LogRuntimeApiFailed(logger, exception);
                        Failed = true;
                        onFatal();
                    }

                    break;
                }
                finally
                {
                    worker.PollEnded();
                }

                using (invocation)
                {
                    // The pipeline starts on this thread; what runs after its first await runs on the pool.
                    if (!process(worker.Client, invocation, response).GetAwaiter().GetResult())
                    {
                        // Failing to post while stopping is the connection this worker's stop closed: no failure.
                        if (!stopping.IsCancellationRequested)
                        {
                            Failed = true;
                            onFatal();
                        }

                        break;
                    }
                }

                if (response.Capacity > LambdaServer.RetainedResponseCapacity)
                {
                    response = new ArrayBufferWriter<byte>(16 * 1024);
                }
            }
        }
#pragma warning disable CA1031 // A worker thread must never take the process down with an unhandled exception.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogRuntimeApiFailed(logger, exception);
            Failed = true;
            onFatal();
        }
        finally
        {
            worker.Client.Dispose();
            exited.TrySetResult();
        }
    }

    [LoggerMessage(11, LogLevel.Critical, "The Lambda Runtime API failed; stopping.")]
    private static partial void LogRuntimeApiFailed(ILogger logger, Exception exception);

    /// <summary>One poller's connection, and whether it is waiting on <c>/next</c> (only then may stopping close it).</summary>
    private sealed class Worker(LambdaRuntimeClient client)
    {
        private readonly Lock _gate = new();
        private bool _polling;
        private bool _stopped;

        public LambdaRuntimeClient Client { get; } = client;

        /// <returns>False once stopping: poll no more.</returns>
        public bool StartPolling(CancellationToken stopping)
        {
            lock (_gate)
            {
                _polling = !_stopped && !stopping.IsCancellationRequested;
                return _polling;
            }
        }

        public void PollEnded()
        {
            lock (_gate)
            {
                _polling = false;
            }
        }

        /// <summary>Ends a pending <c>/next</c> by closing its socket; a worker running an invocation finishes it first.</summary>
        public void StopPolling()
        {
            lock (_gate)
            {
                _stopped = true;
                if (_polling)
                {
                    Client.Dispose();
                }
            }
        }
    }
}

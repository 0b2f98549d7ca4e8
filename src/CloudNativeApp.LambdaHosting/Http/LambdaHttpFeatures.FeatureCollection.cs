using System.Collections;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace CloudNativeApp.LambdaHosting.Http;

// IFeatureCollection: fixed slots for the features this object serves, a short list for what middleware adds.
internal partial class LambdaHttpFeatures
{
    private static readonly Type[] KnownFeatureTypes =
    [
        typeof(IHttpRequestFeature),
        typeof(IHttpResponseFeature),
        typeof(IHttpResponseBodyFeature),
        typeof(IHttpRequestIdentifierFeature),
        typeof(IHttpRequestLifetimeFeature),
        typeof(IHttpConnectionFeature),
        typeof(IHttpRequestBodyDetectionFeature),
        typeof(IHttpAuthenticationFeature),
        typeof(ITlsConnectionFeature),
        typeof(ILambdaEventFeature),
        typeof(ILambdaContext),
    ];

    private const int LambdaContextSlot = 10;

    private readonly object?[] _knownFeatures = new object?[KnownFeatureTypes.Length];
    private readonly List<KeyValuePair<Type, object>> _otherFeatures = [];
    private int _revision;

    // typeof comparisons compile to pointer compares: cheaper than a search, and this runs for every feature lookup.
    private static int SlotOf(Type key) =>
        key == typeof(IHttpRequestFeature) ? 0
        : key == typeof(IHttpResponseFeature) ? 1
        : key == typeof(IHttpResponseBodyFeature) ? 2
        : key == typeof(IHttpRequestIdentifierFeature) ? 3
        : key == typeof(IHttpRequestLifetimeFeature) ? 4
        : key == typeof(IHttpConnectionFeature) ? 5
        : key == typeof(IHttpRequestBodyDetectionFeature) ? 6
        : key == typeof(IHttpAuthenticationFeature) ? 7
        : key == typeof(ITlsConnectionFeature) ? 8
        : key == typeof(ILambdaEventFeature) ? 9
        : key == typeof(ILambdaContext) ? LambdaContextSlot
        : -1;

    public bool IsReadOnly => false;

    public int Revision => _revision;

    public object? this[Type key]
    {
        get
        {
            var slot = SlotOf(key);
            if (slot >= 0)
            {
                return _knownFeatures[slot];
            }

            foreach (var (type, feature) in _otherFeatures)
            {
                if (type == key)
                {
                    return feature;
                }
            }

            return null;
        }
        set
        {
            _revision++;
            var slot = SlotOf(key);
            if (slot >= 0)
            {
                _knownFeatures[slot] = value;
                return;
            }

            for (var i = 0; i < _otherFeatures.Count; i++)
            {
                if (_otherFeatures[i].Key == key)
                {
                    if (value is null)
                    {
                        _otherFeatures.RemoveAt(i);
                    }
                    else
                    {
                        _otherFeatures[i] = new(key, value);
                    }

                    return;
                }
            }

            if (value is not null)
            {
                _otherFeatures.Add(new(key, value));
            }
        }
    }

    public TFeature? Get<TFeature>() => (TFeature?)this[typeof(TFeature)];

    public void Set<TFeature>(TFeature? instance) => this[typeof(TFeature)] = instance;

    public IEnumerator<KeyValuePair<Type, object>> GetEnumerator()
    {
        for (var i = 0; i < KnownFeatureTypes.Length; i++)
        {
            if (_knownFeatures[i] is { } feature)
            {
                yield return new(KnownFeatureTypes[i], feature);
            }
        }

        foreach (var pair in _otherFeatures)
        {
            yield return pair;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void SetLambdaContextFeature(ILambdaContext? lambdaContext)
    {
        _revision++;
        _knownFeatures[LambdaContextSlot] = lambdaContext;
    }

    // Every slot served by this object again (middleware may have replaced some); no Lambda context until Initialize.
    private void ResetFeatureSlots()
    {
        _revision++;
        Array.Fill(_knownFeatures, this);
        _knownFeatures[LambdaContextSlot] = null;
        _otherFeatures.Clear();
    }
}

using BaiQianWan.Assess.Scorecards;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow.Documents;

/// <summary>
/// The stamped bytes of served documents, kept so that each document is stamped at most once per notice: keyed by the stored
/// document's SHA-256 (and length), whether it is served as a bulletin, and the mark (its seed names the run, the notice's
/// revision and deadline, or the final counts), so a new revision or deadline never finds an old entry. Bounded by bytes
/// (<see cref="Capacity"/>), the least recently used entries dropped first; an entry larger than the whole capacity is not
/// kept. Thread-safe; concurrent requests for the same entry stamp it once (the others wait for it).
/// </summary>
public sealed class StampCache
{
    /// <summary>The default bound: 256 MiB of stamped bytes (a town level's archive under notice, about 1,600 scorecards of ~70 KB).</summary>
    public const long DefaultCapacity = 256L * 1024 * 1024;

    private readonly Func<NoticeMark, byte[], bool, byte[]> _stamp;
    private readonly object _gate = new();
    private readonly Dictionary<Key, LinkedListNode<Item>> _items = [];
    private readonly LinkedList<Item> _order = new(); // most recently used first
    private readonly Dictionary<Key, Lazy<byte[]>> _pending = [];
    private long _bytes;
    private long _stamps;
    private long _hits;

    /// <summary>Creates a cache.</summary>
    /// <param name="capacity">The most stamped bytes kept (0: nothing kept, every request stamps).</param>
    /// <param name="stamp">How a document is stamped (the seam for tests); <see cref="NoticeMark.Apply"/> when null.</param>
    public StampCache(long capacity = DefaultCapacity, Func<NoticeMark, byte[], bool, byte[]>? stamp = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
        _stamp = stamp ?? ((mark, pdf, bulletin) => mark.Apply(pdf, bulletin));
    }

    /// <summary>The most stamped bytes kept.</summary>
    public long Capacity { get; }

    /// <summary>The stamped bytes kept now.</summary>
    public long Bytes { get { lock (_gate) return _bytes; } }

    /// <summary>The entries kept now.</summary>
    public int Count { get { lock (_gate) return _items.Count; } }

    /// <summary>How many times a document was stamped (misses).</summary>
    public long Stamps => Interlocked.Read(ref _stamps);

    /// <summary>How many requests were answered from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>
    /// <paramref name="document"/> with <paramref name="mark"/> stamped on, from the cache when this document was stamped with
    /// this mark before; <paramref name="document"/> itself when the mark draws nothing on it or the bytes are not a PDF.
    /// </summary>
    public StoredDocument Serve(NoticeMark mark, StoredDocument document, bool bulletin)
    {
        ArgumentNullException.ThrowIfNull(mark);
        ArgumentNullException.ThrowIfNull(document);
        if (!mark.Draws(bulletin)) return document;
        var key = new Key(document.Sha256.ToLowerInvariant(), document.Content.LongLength, bulletin, mark);
        Lazy<byte[]> pending;
        bool mine = false;
        lock (_gate)
        {
            if (_items.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                Interlocked.Increment(ref _hits);
                return Of(document, node.Value);
            }
            if (!_pending.TryGetValue(key, out pending!))
            {
                pending = new Lazy<byte[]>(() => _stamp(mark, document.Content, bulletin), LazyThreadSafetyMode.ExecutionAndPublication);
                _pending[key] = pending;
                mine = true;
            }
        }
        byte[] bytes;
        try
        {
            bytes = pending.Value;
        }
        finally
        {
            if (mine) lock (_gate) _pending.Remove(key);
        }
        if (!mine)
        {
            Interlocked.Increment(ref _hits);
            return ReferenceEquals(bytes, document.Content) ? document : StoredDocument.Of(document.Kind, document.Key, bytes);
        }
        Interlocked.Increment(ref _stamps);
        // Not a PDF (returned as it is): nothing to keep.
        if (ReferenceEquals(bytes, document.Content)) return document;
        var item = new Item(key, bytes, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        lock (_gate)
        {
            if (bytes.LongLength <= Capacity && !_items.ContainsKey(key))
            {
                _items[key] = _order.AddFirst(item);
                _bytes += bytes.LongLength;
                while (_bytes > Capacity && _order.Last is { } last)
                {
                    _order.RemoveLast();
                    _items.Remove(last.Value.Key);
                    _bytes -= last.Value.Bytes.LongLength;
                }
            }
        }
        return Of(document, item);
    }

    private static StoredDocument Of(StoredDocument document, Item item) => new(document.Kind, document.Key, item.Bytes, item.Sha256);

    private readonly record struct Key(string Sha256, long Length, bool Bulletin, NoticeMark Mark);

    private sealed record Item(Key Key, byte[] Bytes, string Sha256);
}

namespace BaiQianWan.Assess.Functions.Invocations;

/// <summary>A payload the handler cannot act on (missing binding, bad message); the invocation fails with it.</summary>
public sealed class InvocationException(string message) : Exception(message);

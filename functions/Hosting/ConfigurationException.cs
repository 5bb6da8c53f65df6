namespace BaiQianWan.Assess.Functions.Hosting;

/// <summary>A setting is missing or wrong: the app prints the message as one line and exits with code 1.</summary>
/// <param name="message">What to set, and where.</param>
public sealed class ConfigurationException(string message) : Exception(message);

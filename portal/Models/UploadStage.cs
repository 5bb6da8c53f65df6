namespace BaiQianWan.Assess.Portal.Models;

/// <summary>
/// An uploaded file carried by the page from one step to the next (a preview to its confirmation, a refusal to the CSV of
/// all its errors), so that no step keeps anything on the server between requests: the file's bytes compressed
/// (<see cref="Building.UploadStages"/>) with what the upload was for.
/// </summary>
/// <param name="Kind"><c>units</c> or <c>observations</c>.</param>
/// <param name="FileName">The file's name.</param>
/// <param name="Period">The period the upload was for (observations), or empty for every period of the file.</param>
/// <param name="Data">The file: gzip, then base64.</param>
public sealed record UploadStage(string Kind, string FileName, string Period, string Data);

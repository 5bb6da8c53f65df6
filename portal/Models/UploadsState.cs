using BaiQianWan.Assess.Workflow.Imports;

namespace BaiQianWan.Assess.Portal.Models;

/// <summary>What the uploads page shows besides its forms and the import log.</summary>
/// <param name="Rejected">A refused file's errors.</param>
/// <param name="Stage">The file, carried to the next step.</param>
/// <param name="Preview">A file's preview, waiting to be confirmed.</param>
/// <param name="Period">The period the office chose (kept in the form), or null for the latest with data.</param>
/// <param name="Year">The year the office chose, or null for the calendar's.</param>
public sealed record UploadsState(ImportErrorReport? Rejected = null, UploadStage? Stage = null, ObservationsPreview? Preview = null,
    string? Period = null, int? Year = null);

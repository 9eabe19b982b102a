/** Bounds on inputs, shared by validation on the server and by clients that want to check early. */
export const LIMITS = {
  nameMin: 2,
  nameMax: 63,
  descriptionMax: 2000,
  capabilityNameMax: 100,
  capabilityDescriptionMax: 1000,
  capabilitiesMax: 32,
  skillsMax: 32,
  skillMax: 64,
  shortTextMax: 200,
  urlMax: 2048,
  modalitiesMax: 16,
  metadataBytesMax: 8192,
  queryMax: 1000,
  topKMax: 100,
  excludeMax: 1000,
  pageSizeMax: 500,
  /** Paging offsets: far past any page a client reads, and small enough for every database's OFFSET. */
  offsetMax: 1_000_000,
  /** Seqs and row ids given as cursors: the largest value of the `integer` columns that hold them (PostgreSQL's int4). */
  seqMax: 2_147_483_647,
  ttlSecondsMax: 365 * 24 * 3600,
  maxUsesMax: 100000,
  scopeItemsMax: 100,
  bodyBytesMax: 256 * 1024,
  /**
   * Objects and arrays nested in one input (a socket event's argument, a REST body), the outermost counting 1. Every
   * DTO needs 5 at most (envelope → payload → tasks → task → assignee), so free JSON objects (`ext`, `metadata`) keep
   * more than 25 levels of their own; the bound is checked before anything recursive runs.
   */
  jsonDepthMax: 32,
} as const;

export const AGENT_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

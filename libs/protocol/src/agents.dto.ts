import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, IsUrl,
  Length, Matches, Max, MaxLength, Min,
} from 'class-validator';
import { AGENT_NAME_PATTERN, LIMITS } from './limits';
import { IsArrayOf, IsNested, IsBoundedJsonObject, IsOptionalNotNull } from './validators';

export const AGENT_STATUSES = ['online', 'offline', 'disabled'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];
export const INTERFACE_KINDS = ['socket', 'http', 'a2a'] as const;
export type InterfaceKind = (typeof INTERFACE_KINDS)[number];

/**
 * Optional parts of `ioa/1` a client may declare on its card (added within `ioa/1`): `rollback_ack`, it acknowledges
 * `rollback` events (`rollback_ack`), and is asked to within `IOA_ROLLBACK_ACK_S`.
 */
export const PROTOCOL_FEATURES = ['rollback_ack'] as const;
export type ProtocolFeature = (typeof PROTOCOL_FEATURES)[number];

export class CapabilityDto {
  @IsString() @IsNotEmpty() @MaxLength(LIMITS.capabilityNameMax)
  name: string;

  @IsString() @IsNotEmpty() @MaxLength(LIMITS.capabilityDescriptionMax)
  description: string;

  /** Free-form hint of the expected input. */
  @IsOptionalNotNull() @IsString() @MaxLength(LIMITS.shortTextMax)
  input?: string;

  /** Free-form hint of the produced output. */
  @IsOptionalNotNull() @IsString() @MaxLength(LIMITS.shortTextMax)
  output?: string;
}

export class AgentInterfaceDto {
  @IsIn(INTERFACE_KINDS)
  kind: InterfaceKind;

  @IsOptionalNotNull() @IsUrl({ require_tld: false, protocols: ['http', 'https', 'ws', 'wss'] }) @MaxLength(LIMITS.urlMax)
  endpoint?: string;

  @IsOptionalNotNull() @IsArray() @ArrayMaxSize(LIMITS.modalitiesMax)
  @IsString({ each: true }) @MaxLength(LIMITS.skillMax, { each: true })
  modalities?: string[];
}

/** Fields an agent (or an admin on its behalf) may set; the card is ANP-style. */
export class AgentCardFields {
  @IsString() @IsNotEmpty() @MaxLength(LIMITS.descriptionMax)
  description: string;

  @ArrayMaxSize(LIMITS.capabilitiesMax) @IsArrayOf(() => CapabilityDto)
  capabilities: CapabilityDto[];

  @IsOptionalNotNull() @IsArray() @ArrayMaxSize(LIMITS.skillsMax)
  @IsString({ each: true }) @MaxLength(LIMITS.skillMax, { each: true })
  skills?: string[];

  @IsOptionalNotNull() @IsString() @MaxLength(LIMITS.skillMax)
  version?: string;

  @IsOptionalNotNull() @IsString() @MaxLength(LIMITS.shortTextMax)
  owner?: string;

  @IsOptionalNotNull() @IsNested(() => AgentInterfaceDto)
  interface?: AgentInterfaceDto;

  /** Free JSON object, at most 8 KiB serialised. */
  @IsOptionalNotNull() @IsObject() @IsBoundedJsonObject(LIMITS.metadataBytesMax)
  metadata?: Record<string, unknown>;

  /** Whether team formation may invite this agent. */
  @IsOptionalNotNull() @IsBoolean()
  accepting_invites?: boolean;

  /**
   * Whether this agent coordinates goals: only such agents are chosen (or may be named) as a goal's coordinator,
   * which receives the `goal` event and forms the root team. Default false; the SDK sets it for agents with `onGoal`.
   */
  @IsOptionalNotNull() @IsBoolean()
  coordinates?: boolean;

  /** Groups this agent may be in at once. */
  @IsOptionalNotNull() @IsInt() @Min(1) @Max(1000)
  max_concurrent_groups?: number;

  /** Optional protocol features its client implements (`PROTOCOL_FEATURES`); the SDKs declare theirs. */
  @IsOptionalNotNull() @IsArray() @ArrayMaxSize(PROTOCOL_FEATURES.length) @IsIn(PROTOCOL_FEATURES, { each: true })
  features?: ProtocolFeature[];
}

export class RegisterAgentDto extends AgentCardFields {
  /** Unique slug: 2-63 of a-z, 0-9 and -. */
  @IsString() @Length(LIMITS.nameMin, LIMITS.nameMax)
  @Matches(AGENT_NAME_PATTERN, { message: 'name must be a slug of a-z, 0-9 and - (not at either end)' })
  name: string;
}

/**
 * PATCH body: every card field optional; the name is fixed at registration. Null is refused, except for `version`,
 * `owner` and `interface`, which a card may lack: for them null clears the field.
 */
export class UpdateAgentDto {
  @IsOptionalNotNull() @IsString() @IsNotEmpty() @MaxLength(LIMITS.descriptionMax)
  description?: string;

  @IsOptionalNotNull() @ArrayMaxSize(LIMITS.capabilitiesMax) @IsArrayOf(() => CapabilityDto)
  capabilities?: CapabilityDto[];

  @IsOptionalNotNull() @IsArray() @ArrayMaxSize(LIMITS.skillsMax)
  @IsString({ each: true }) @MaxLength(LIMITS.skillMax, { each: true })
  skills?: string[];

  @IsOptional() @IsString() @MaxLength(LIMITS.skillMax)
  version?: string | null;

  @IsOptional() @IsString() @MaxLength(LIMITS.shortTextMax)
  owner?: string | null;

  @IsOptional() @IsNested(() => AgentInterfaceDto)
  interface?: AgentInterfaceDto | null;

  @IsOptionalNotNull() @IsObject() @IsBoundedJsonObject(LIMITS.metadataBytesMax)
  metadata?: Record<string, unknown>;

  @IsOptionalNotNull() @IsBoolean()
  accepting_invites?: boolean;

  @IsOptionalNotNull() @IsBoolean()
  coordinates?: boolean;

  @IsOptionalNotNull() @IsInt() @Min(1) @Max(1000)
  max_concurrent_groups?: number;

  @IsOptionalNotNull() @IsArray() @ArrayMaxSize(PROTOCOL_FEATURES.length) @IsIn(PROTOCOL_FEATURES, { each: true })
  features?: ProtocolFeature[];
}

export class ListAgentsQueryDto {
  @IsOptionalNotNull() @Type(() => Number) @IsInt() @Min(1) @Max(LIMITS.pageSizeMax)
  limit?: number;

  @IsOptionalNotNull() @Type(() => Number) @IsInt() @Min(0) @Max(LIMITS.offsetMax)
  offset?: number;

  @IsOptionalNotNull() @IsIn(AGENT_STATUSES)
  status?: AgentStatus;

  /** Only agents carrying this skill tag. */
  @IsOptionalNotNull() @IsString() @MaxLength(LIMITS.skillMax)
  skill?: string;

  /** Only agents of this owner. */
  @IsOptionalNotNull() @IsString() @MaxLength(LIMITS.shortTextMax)
  owner?: string;

  /** Name prefix. */
  @IsOptionalNotNull() @IsString() @MaxLength(LIMITS.nameMax)
  name_prefix?: string;
}

export class SearchAgentsDto {
  @IsString() @IsNotEmpty() @MaxLength(LIMITS.queryMax)
  query: string;

  @IsOptionalNotNull() @IsInt() @Min(1) @Max(LIMITS.topKMax)
  top_k?: number;

  @IsOptionalNotNull() @IsBoolean()
  online_only?: boolean;

  /** Only agents whose card says `coordinates: true` (how a goal's coordinator is found). */
  @IsOptionalNotNull() @IsBoolean()
  coordinators_only?: boolean;

  /** Agent ids to leave out. */
  @IsOptionalNotNull() @IsArray() @ArrayMaxSize(LIMITS.excludeMax) @IsString({ each: true }) @MaxLength(64, { each: true })
  exclude?: string[];
}

/** An agent as the server returns it. */
export class AgentView {
  id: string;
  name: string;
  description: string;
  capabilities: CapabilityDto[];
  skills: string[];
  version: string | null;
  owner: string | null;
  interface: AgentInterfaceDto | null;
  metadata: Record<string, unknown>;
  accepting_invites: boolean;
  coordinates: boolean;
  max_concurrent_groups: number;
  features: ProtocolFeature[];
  status: AgentStatus;
  last_seen: string | null;
  created_at: string;
  updated_at: string;
}

export class SearchResultItem {
  agent: AgentView;
  /**
   * 0..1, the best first; comparable within one search only. Without a model, BM25 over the best's; with the shipped
   * models, the weighted rescore (docs/architecture.md); with a downloaded model, reciprocal rank fusion.
   */
  score: number;
  /** The capability name that matched best, or 'description'. */
  matched: string;
  /** Each retriever's raw best score for this agent: BM25 for `lexical`, cosine similarity for `dense`. */
  signals?: { lexical?: number; dense?: number };
}

export class SearchResponse {
  results: SearchResultItem[];
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** `GET /v1/agents`: a page of agent cards. */
export class AgentPage implements Page<AgentView> {
  items: AgentView[];
  total: number;
  limit: number;
  offset: number;
}

export const INVITE_POLICIES = ['accept', 'decline'] as const;

/**
 * `POST /v1/agents/import`: an A2A agent the server hosts, by the URL of its agent card. Its host must be listed in
 * `IOA_A2A_ALLOWED_HOSTS`. Importing the same URL again refreshes the card.
 */
export class ImportAgentDto {
  @IsString() @IsNotEmpty() @MaxLength(LIMITS.urlMax)
  card_url: string;

  /** The `Authorization` header value its endpoint wants (`Bearer …`): stored encrypted, never returned. */
  @IsOptionalNotNull() @IsString() @IsNotEmpty() @MaxLength(4096)
  secret?: string;

  /** Its name in the registry (a slug); default: made from the card's name. */
  @IsOptionalNotNull() @IsString() @Length(LIMITS.nameMin, LIMITS.nameMax) @Matches(AGENT_NAME_PATTERN, { message: 'name must be a slug of a-z, 0-9 and - (not at either end)' })
  name?: string;

  /** What the server answers to invites on its behalf (default `accept`). */
  @IsOptionalNotNull() @IsIn(INVITE_POLICIES)
  invite_policy?: (typeof INVITE_POLICIES)[number];

  /** Admins only: the card may name an endpoint on another origin (whose host must be allowed too). */
  @IsOptionalNotNull() @IsBoolean()
  allow_cross_origin?: boolean;
}

/** How the server reaches a hosted A2A agent (never its secret). */
export class HostedAgentView {
  card_url: string;
  endpoint: string;
  /** The A2A version its endpoint speaks: `1.0` or `0.3`. */
  protocol_version: string;
  invite_policy: (typeof INVITE_POLICIES)[number];
  cross_origin: boolean;
  has_secret: boolean;
}

/** `POST /v1/agents/import`: the agent as registered, and how it is reached; `refreshed` when it was imported before. */
export class ImportedAgent {
  agent: AgentView;
  hosted: HostedAgentView;
  refreshed: boolean;
}

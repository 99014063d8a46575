/** Wire types of the hoop gateway API (hoop-gateway.md §1.2, §1.4, §2.6, §4.5). */
import type { ParameterMetadata } from './template';

export interface ExecRequestBody {
  connection_name?: string; // V2 only; legacy takes it from the path
  repository?: string; // V2 only: the normalised repository key
  file_name: string;
  ref_hash: string;
  parameters: Record<string, string>;
  env_vars: Record<string, string>;
  client_args: string[];
  metadata: Record<string, string>;
}

export interface AiAnalysis {
  risk_level?: string;
  title?: string;
  explanation?: string;
  action?: string;
  summary?: string;
}

export interface ExecResponseBody {
  has_review?: boolean;
  session_id?: string;
  output?: string;
  output_status?: string;
  truncated?: boolean;
  execution_time?: number;
  exit_code?: number;
  ai_analysis?: AiAnalysis | null;
}

export interface GatewayConnection {
  id?: string;
  name: string;
  type?: string;
  subtype?: string;
  status?: string;
  access_mode_runbooks?: string;
  reviewers?: string[] | null;
  mandatory_metadata_fields?: string[] | null;
}

/** As listed by the gateway; `type` may name a type newer than this extension knows. */
export type GatewayParameterMetadata = Partial<Omit<ParameterMetadata, 'type'>> & { type?: string };

export interface GatewayRunbookItem {
  name: string;
  metadata?: Record<string, GatewayParameterMetadata> | null;
  connections?: string[] | null;
  error?: string | null;
}

export interface GatewayRepositoryListing {
  repository: string;
  commit?: string;
  items?: GatewayRunbookItem[] | null;
}

export interface RunbookListResponse {
  errors?: string[] | null;
  repositories?: GatewayRepositoryListing[] | null;
  /** Legacy plugin routes answer a flat list. */
  items?: GatewayRunbookItem[] | null;
  /** Legacy: the commit of the one repository. */
  commit?: string;
}

/** `GET /api/publicserverinfo` (no auth, §4.2). */
export interface PublicServerInfo {
  auth_method: 'local' | 'oidc' | 'saml' | (string & {});
  setup_required?: boolean;
}

/** `GET /api/serverinfo`: the fields this extension reads (§4.6). */
export interface ServerInfo {
  version: string;
  commit_sha?: string;
  api_url?: string;
  grpc_url?: string;
  auth_method?: string;
  tenancy_type?: string;
}

/** `GET /api/userinfo`: the fields this extension reads (§4.6). */
export interface UserInfo {
  id: string;
  email: string;
  name?: string;
  status?: string;
  role?: 'admin' | 'standard' | 'auditor' | 'unregistered' | (string & {});
  groups: string[];
  org_id?: string;
  org_name?: string;
  tenancy_type?: string;
}

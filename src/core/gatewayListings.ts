/** Reads `GET /api/connections` and the runbook listings (hoop-gateway.md §2.6, §4.5) into checked types. */
import type { GatewayConnection, GatewayParameterMetadata, GatewayRepositoryListing, GatewayRunbookItem, RunbookListResponse } from './gatewayTypes';
import type { ShapeReader } from './http/shape';

/** A plain array, or `{pages, data}` when paged. */
export function parseConnections(shape: ShapeReader, value: unknown): GatewayConnection[] {
  if (value === null) {
    shape.fail('', 'a list of connections', value);
  }
  const list = Array.isArray(value) ? value : shape.object(value).data;
  const path = Array.isArray(value) ? '' : 'data';
  if (list === null || list === undefined) {
    shape.fail(path, 'a list of connections', list);
  }
  return shape.list(list, path, (entry, entryPath) => {
    const body = shape.object(entry, entryPath);
    const text = (field: string) => shape.optionalString(body[field], `${entryPath}.${field}`);
    return {
      id: text('id'),
      name: shape.string(body.name, `${entryPath}.name`),
      type: text('type'),
      subtype: text('subtype'),
      status: text('status'),
      access_mode_runbooks: text('access_mode_runbooks'),
      reviewers: shape.stringList(body.reviewers, `${entryPath}.reviewers`),
      mandatory_metadata_fields: shape.stringList(body.mandatory_metadata_fields, `${entryPath}.mandatory_metadata_fields`),
      jira_issue_template_id: text('jira_issue_template_id') || undefined,
    };
  });
}

export function parseRunbookListing(shape: ShapeReader, value: unknown): RunbookListResponse {
  const body = shape.object(value);
  const repositories = shape.list(body.repositories, 'repositories', (entry, path): GatewayRepositoryListing => {
    const repository = shape.object(entry, path);
    return {
      repository: shape.string(repository.repository, `${path}.repository`),
      commit: shape.optionalString(repository.commit, `${path}.commit`),
      items: parseItems(shape, repository.items, `${path}.items`),
    };
  });
  return {
    errors: shape.stringList(body.errors, 'errors'),
    repositories,
    items: parseItems(shape, body.items, 'items'),
    commit: shape.optionalString(body.commit, 'commit'),
  };
}

function parseItems(shape: ShapeReader, value: unknown, path: string): GatewayRunbookItem[] {
  return shape.list(value, path, (entry, entryPath) => {
    const item = shape.object(entry, entryPath);
    const metadata = item.metadata === null || item.metadata === undefined ? {} : shape.object(item.metadata, `${entryPath}.metadata`);
    return {
      name: shape.string(item.name, `${entryPath}.name`),
      metadata: Object.fromEntries(Object.entries(metadata).map(([name, spec]) => [name, parseParameter(shape, spec, `${entryPath}.metadata.${name}`)])),
      connections: shape.stringList(item.connections, `${entryPath}.connections`),
      error: shape.optionalString(item.error, `${entryPath}.error`) ?? null,
    };
  });
}

function parseParameter(shape: ShapeReader, value: unknown, path: string): GatewayParameterMetadata {
  const spec = shape.object(value, path);
  const text = (field: string) => shape.optionalString(spec[field], `${path}.${field}`);
  const parameter: GatewayParameterMetadata = {
    description: text('description'),
    required: shape.optionalBoolean(spec.required, `${path}.required`),
    type: text('type'),
    default: text('default'),
    placeholder: text('placeholder'),
    options: spec.options === undefined || spec.options === null ? undefined : shape.stringList(spec.options, `${path}.options`),
    order: shape.optionalNumber(spec.order, `${path}.order`),
    minlength: text('minlength'),
    maxlength: text('maxlength'),
    asenv: text('asenv'),
  };
  // Keep absent keys absent: callers tell "not set" from "set to empty".
  return Object.fromEntries(Object.entries(parameter).filter(([, entry]) => entry !== undefined)) as GatewayParameterMetadata;
}

import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ErrorResponse, PROTOCOL_VERSION, TEAM_LIMITS } from '@ioa/protocol';

type Schemas = Record<string, SchemaObject>;

/**
 * The REST API's OpenAPI document (served at /docs, written to docs/openapi.json by the build). Schemas come from the
 * DTO and response classes of libs/protocol through the swagger build plugin; what a class cannot say is added here.
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('ioa')
    .setDescription(`Internet of Agents server, REST API. Wire protocol ${PROTOCOL_VERSION}.`)
    .setVersion('1')
    .addBearerAuth()
    // Any route may fail unexpectedly (INTERNAL) or while the server is not ready (UNAVAILABLE), with the same body.
    .addGlobalResponse({ status: 'default', type: ErrorResponse, description: 'error code INTERNAL or UNAVAILABLE (500, 503)' })
    .build();
  // Operation ids are the controllers' method names (`getGoal`, `registerAgent`): unique, readable, and what generated
  // clients name their calls, so renaming one is a breaking change of the API.
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: (_controller, method) => method, extraModels: [ErrorResponse] });
  const schemas = (document.components?.schemas ?? {}) as Schemas;
  describeUnions(schemas);
  closeInputSchemas(document, schemas);
  return document;
}

/** Union-typed fields, which the plugin can only call `object`. */
function describeUnions(schemas: Schemas): void {
  const members = schemas.TeamFormationPayload?.properties?.team_members as SchemaObject | undefined;
  if (members) {
    members.items = {
      oneOf: [
        { type: 'string', maxLength: 64, description: 'an agent id' },
        {
          type: 'object', additionalProperties: false, required: ['need'], description: 'a need in words, resolved by meaning',
          properties: { need: { type: 'string', maxLength: TEAM_LIMITS.needMax }, count: { type: 'integer', minimum: 1, maximum: TEAM_LIMITS.countMax } },
        },
      ],
    };
  }
}

/**
 * Marks every schema only request bodies reach (a DTO and the DTOs nested in it) `additionalProperties: false`, as the
 * global ValidationPipe enforces (`forbidNonWhitelisted`), so that a generated client refuses an unknown field too.
 * Schemas that responses use as well stay open: a response may gain fields within `ioa/1`.
 */
function closeInputSchemas(document: OpenAPIObject, schemas: Schemas): void {
  const reached = (roots: unknown[]): Set<string> => {
    const seen = new Set<string>();
    const visit = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      const ref = (node as { $ref?: string }).$ref;
      if (ref) {
        const name = ref.split('/').pop()!;
        if (seen.has(name) || !schemas[name]) return;
        seen.add(name);
        return visit(schemas[name]);
      }
      for (const value of Object.values(node)) visit(value);
    };
    roots.forEach(visit);
    return seen;
  };
  const operations = Object.values(document.paths).flatMap((ops) => Object.values(ops) as OperationObject[]);
  const inResponses = reached(operations.map((op) => op.responses));
  for (const name of reached(operations.map((op) => op.requestBody))) if (!inResponses.has(name)) schemas[name].additionalProperties = false;
}

import { z } from 'zod';

// The parts of the official MCP registry's `GET /v0/servers` answer that the catalog reads (server.json as the
// registry serves it). Unknown fields pass through; a field of the wrong type fails only its own entry.

const input = {
  description: z.string().optional(),
  isRequired: z.boolean().optional(),
  isSecret: z.boolean().optional(),
  default: z.string().optional(),
  value: z.string().optional(),
  format: z.string().optional(),
};

export const argumentSchema = z.union([
  z.object({
    type: z.literal('positional'),
    valueHint: z.string().optional(),
    isRepeated: z.boolean().optional(),
    ...input,
  }),
  z.object({ type: z.literal('named'), name: z.string(), isRepeated: z.boolean().optional(), ...input }),
]);
export type RegistryArgument = z.infer<typeof argumentSchema>;

export const envVarSchema = z.object({ name: z.string(), ...input });

export const packageSchema = z.object({
  registryType: z.string(),
  registryBaseUrl: z.string().optional(),
  identifier: z.string(),
  version: z.string().optional(),
  runtimeHint: z.string().optional(),
  transport: z.object({ type: z.string(), url: z.string().optional() }).optional(),
  runtimeArguments: z.array(argumentSchema).optional(),
  packageArguments: z.array(argumentSchema).optional(),
  environmentVariables: z.array(envVarSchema).optional(),
});
export type RegistryPackage = z.infer<typeof packageSchema>;

export const serverSchema = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().default(''),
  version: z.string().default(''),
  websiteUrl: z.string().optional(),
  repository: z.object({ url: z.string().optional() }).optional(),
  packages: z.array(packageSchema).optional(),
  remotes: z.array(z.object({ type: z.string(), url: z.string() })).optional(),
});
export type RegistryServer = z.infer<typeof serverSchema>;

export const listSchema = z.object({
  servers: z.array(z.unknown()),
  metadata: z.object({ nextCursor: z.string().nullish(), count: z.number().optional() }).optional(),
});

/** Each list item is `{ server, _meta }`; older registries served the server object itself. */
export function serverOf(item: unknown): RegistryServer | null {
  const wrapped = item && typeof item === 'object' && 'server' in item ? (item as { server: unknown }).server : item;
  const parsed = serverSchema.safeParse(wrapped);
  return parsed.success ? parsed.data : null;
}

/**
 * What the official conformance suite (`@modelcontextprotocol/conformance`)
 * calls on a server: its tools, resources and prompts by the names its server
 * scenarios use, defined once and registered on either SDK line through a
 * small `SdkLine` adapter (v1 `extra` and v2 `ctx` differ; the fixtures don't).
 *
 * Left out on purpose, because a stateless server cannot do them:
 * `resources/subscribe` (updates need a stream that outlives the request) and
 * `test_reconnection` (SSE resumption needs an event store shared by requests).
 */
import { z } from 'zod';

/** 1×1 PNG, one blue pixel. */
export const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGOQm/AfAAJ9Aa5x8yHNAAAAAElFTkSuQmCC';
/** WAV, 8 kHz mono 8-bit, four samples of silence. */
export const WAV_BASE64 = 'UklGRigAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQQAAACAgICA';

type Content =
  | { type: 'text'; text: string }
  | { type: 'image' | 'audio'; data: string; mimeType: string }
  | { type: 'resource'; resource: { uri: string; mimeType: string; text: string } };

export interface ToolResult {
  [key: string]: unknown;
  content: Content[];
}

/** What a tool needs of the request it serves, whichever SDK line serves it. */
export interface ToolCall {
  readonly progressToken: string | number | undefined;
  /** A notification about this request (on its response stream). */
  notify(method: 'notifications/message' | 'notifications/progress', params: Record<string, unknown>): Promise<void>;
  /** A request to the client about this request; the SDK refuses it when the client has not declared the capability. */
  ask(
    method: 'sampling/createMessage' | 'elicitation/create',
    params: Record<string, unknown>,
  ): Promise<Record<string, unknown>>;
}

interface ToolFixture {
  name: string;
  description: string;
  input: z.ZodObject;
  run(args: Record<string, unknown>, call: ToolCall): Promise<ToolResult>;
}

interface ResourceFixture {
  name: string;
  /** A URI, or a URI template when `read` takes variables. */
  uri: string;
  description: string;
  mimeType: string;
  read(uri: URL, variables: Record<string, string | string[]>): { text: string } | { blob: string };
}

interface ResourceContents {
  [key: string]: unknown;
  contents: Array<{ uri: string; mimeType: string } & ({ text: string } | { blob: string })>;
}

interface PromptFixture {
  name: string;
  description: string;
  /** Argument name → description; every argument is a required string. */
  args?: Record<string, string>;
  /** Completion values per argument. */
  completions?: Record<string, readonly string[]>;
  messages(args: Record<string, string>): PromptResult['messages'];
}

interface PromptResult {
  [key: string]: unknown;
  messages: Array<{ role: 'user'; content: Content }>;
}

/**
 * Both lines' `McpServer` options. Strict capabilities: a request to the client
 * needs the capability its `initialize` declared, which a per-request server
 * never sees; without it, sampling and elicitation would wait out their timeout
 * for an answer that goes to another server instance.
 */
export const SERVER_OPTIONS = { capabilities: { logging: {} }, enforceStrictCapabilities: true };

const NO_ARGUMENTS = z.object({});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (value: string): ToolResult => ({ content: [{ type: 'text', text: value }] });

async function log(call: ToolCall, data: string): Promise<void> {
  await call.notify('notifications/message', { level: 'info', data });
}

async function elicit(
  call: ToolCall,
  message: string,
  properties: Record<string, unknown>,
  required: string[] = [],
): Promise<ToolResult> {
  const answer = await call.ask('elicitation/create', {
    message,
    requestedSchema: { type: 'object', properties, required },
  });
  return text(
    `Elicitation completed: action=${String(answer.action)}, content=${JSON.stringify(answer.content ?? {})}`,
  );
}

const ADDRESS = z.object({ street: z.string(), city: z.string() }).meta({ id: 'address' });

export const TOOLS: readonly ToolFixture[] = [
  {
    name: 'test_simple_text',
    description: 'Returns one text block',
    input: NO_ARGUMENTS,
    run: async () => text('This is a simple text response for testing.'),
  },
  {
    name: 'test_image_content',
    description: 'Returns a PNG image',
    input: NO_ARGUMENTS,
    run: async () => ({ content: [{ type: 'image', data: PNG_BASE64, mimeType: 'image/png' }] }),
  },
  {
    name: 'test_audio_content',
    description: 'Returns a WAV clip',
    input: NO_ARGUMENTS,
    run: async () => ({ content: [{ type: 'audio', data: WAV_BASE64, mimeType: 'audio/wav' }] }),
  },
  {
    name: 'test_embedded_resource',
    description: 'Returns an embedded text resource',
    input: NO_ARGUMENTS,
    run: async () => ({
      content: [
        {
          type: 'resource',
          resource: {
            uri: 'test://embedded-resource',
            mimeType: 'text/plain',
            text: 'This is an embedded resource content.',
          },
        },
      ],
    }),
  },
  {
    name: 'test_multiple_content_types',
    description: 'Returns text, an image and an embedded resource',
    input: NO_ARGUMENTS,
    run: async () => ({
      content: [
        { type: 'text', text: 'Multiple content types test:' },
        { type: 'image', data: PNG_BASE64, mimeType: 'image/png' },
        {
          type: 'resource',
          resource: {
            uri: 'test://mixed-content-resource',
            mimeType: 'application/json',
            text: JSON.stringify({ test: 'data', value: 123 }),
          },
        },
      ],
    }),
  },
  {
    name: 'test_tool_with_logging',
    description: 'Logs three messages while it runs',
    input: NO_ARGUMENTS,
    run: async (_args, call) => {
      await log(call, 'Tool execution started');
      await sleep(50);
      await log(call, 'Tool processing data');
      await sleep(50);
      await log(call, 'Tool execution completed');
      return text('Logged three messages');
    },
  },
  {
    name: 'test_tool_with_progress',
    description: 'Reports progress 0, 50 and 100 of 100',
    input: NO_ARGUMENTS,
    run: async (_args, call) => {
      for (const progress of [0, 50, 100]) {
        if (progress > 0) await sleep(50);
        if (call.progressToken !== undefined)
          await call.notify('notifications/progress', { progressToken: call.progressToken, progress, total: 100 });
      }
      return text('Progress reported');
    },
  },
  {
    name: 'test_error_handling',
    description: 'Always fails',
    input: NO_ARGUMENTS,
    run: async () => {
      throw new Error('This tool intentionally returns an error for testing');
    },
  },
  {
    name: 'test_sampling',
    description: 'Asks the client for an LLM completion',
    input: z.object({ prompt: z.string().describe('The prompt to send to the LLM') }),
    run: async ({ prompt }, call) => {
      const answer = await call.ask('sampling/createMessage', {
        messages: [{ role: 'user', content: { type: 'text', text: String(prompt) } }],
        maxTokens: 100,
      });
      const content = answer.content as { text?: string } | undefined;
      return text(`LLM response: ${content?.text ?? ''}`);
    },
  },
  {
    name: 'test_elicitation',
    description: 'Asks the user for a name and an email address',
    input: z.object({ message: z.string().describe('The message to show the user') }),
    run: ({ message }, call) =>
      elicit(
        call,
        String(message),
        {
          username: { type: 'string', description: "User's response" },
          email: { type: 'string', description: "User's email address" },
        },
        ['username', 'email'],
      ),
  },
  {
    name: 'test_elicitation_sep1034_defaults',
    description: 'Elicitation with a default for every primitive type (SEP-1034)',
    input: NO_ARGUMENTS,
    run: (_args, call) =>
      elicit(call, 'Review the prefilled fields', {
        name: { type: 'string', description: 'User name', default: 'John Doe' },
        age: { type: 'integer', description: 'User age', default: 30 },
        score: { type: 'number', description: 'User score', default: 95.5 },
        status: {
          type: 'string',
          description: 'User status',
          enum: ['active', 'inactive', 'pending'],
          default: 'active',
        },
        verified: { type: 'boolean', description: 'Verification status', default: true },
      }),
  },
  {
    name: 'test_elicitation_sep1330_enums',
    description: 'Elicitation with every enum form (SEP-1330)',
    input: NO_ARGUMENTS,
    run: (_args, call) => {
      const options = ['option1', 'option2', 'option3'];
      const titled = (words: string[]) => words.map((word, i) => ({ const: `value${i + 1}`, title: `${word} Option` }));
      return elicit(call, 'Pick some options', {
        untitledSingle: { type: 'string', enum: options },
        titledSingle: { type: 'string', oneOf: titled(['First', 'Second', 'Third']) },
        legacyEnum: {
          type: 'string',
          enum: ['opt1', 'opt2', 'opt3'],
          enumNames: ['Option One', 'Option Two', 'Option Three'],
        },
        untitledMulti: { type: 'array', items: { type: 'string', enum: options } },
        titledMulti: { type: 'array', items: { anyOf: titled(['Alpha', 'Beta', 'Gamma']) } },
      });
    },
  },
  {
    name: 'json_schema_2020_12_tool',
    description: 'Takes an input schema with $defs, $ref and additionalProperties (SEP-1613)',
    input: z.strictObject({ name: z.string().optional(), address: ADDRESS.optional() }),
    run: async (args) => text(`Received ${JSON.stringify(args)}`),
  },
];

export const RESOURCES: readonly ResourceFixture[] = [
  {
    name: 'static-text',
    uri: 'test://static-text',
    description: 'A fixed text resource',
    mimeType: 'text/plain',
    read: () => ({ text: 'This is the content of the static text resource.' }),
  },
  {
    name: 'static-binary',
    uri: 'test://static-binary',
    description: 'A fixed PNG resource',
    mimeType: 'image/png',
    read: () => ({ blob: PNG_BASE64 }),
  },
  {
    name: 'template-data',
    uri: 'test://template/{id}/data',
    description: 'JSON data for any id',
    mimeType: 'application/json',
    read: (_uri, { id }) => ({ text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${String(id)}` }) }),
  },
];

export const PROMPTS: readonly PromptFixture[] = [
  {
    name: 'test_simple_prompt',
    description: 'A prompt without arguments',
    messages: () => [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }],
  },
  {
    name: 'test_prompt_with_arguments',
    description: 'A prompt with two arguments',
    args: { arg1: 'First test argument', arg2: 'Second test argument' },
    completions: { arg1: ['paris', 'park', 'party', 'test', 'testing'] },
    messages: ({ arg1, arg2 }) => [
      { role: 'user', content: { type: 'text', text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` } },
    ],
  },
  {
    name: 'test_prompt_with_embedded_resource',
    description: 'A prompt that embeds the resource it is given',
    args: { resourceUri: 'URI of the resource to embed' },
    messages: ({ resourceUri }) => [
      {
        role: 'user',
        content: {
          type: 'resource',
          resource: { uri: resourceUri ?? '', mimeType: 'text/plain', text: 'Embedded resource content for testing.' },
        },
      },
      { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
    ],
  },
  {
    name: 'test_prompt_with_image',
    description: 'A prompt with an image',
    messages: () => [
      { role: 'user', content: { type: 'image', data: PNG_BASE64, mimeType: 'image/png' } },
      { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
    ],
  },
];

/** What differs between the SDK lines for these fixtures. */
export interface SdkLine<Context> {
  toolCall(context: Context): ToolCall;
  /** The line's `ResourceTemplate` for a URI template (no listing). */
  template(uriTemplate: string): unknown;
  /** Prompt arguments as the line's `registerPrompt` takes them. */
  promptArgs(shape: Record<string, z.ZodString>): unknown;
  completable(schema: z.ZodString, complete: (value: string) => string[]): z.ZodString;
}

/**
 * The registration surface both lines' `McpServer` share, as far as the
 * fixtures use it. What only a line's adapter can make (its `ResourceTemplate`,
 * its prompt argument schema) passes through as `never`.
 */
export interface FixtureHost<Context> {
  registerTool(
    name: string,
    config: { description: string; inputSchema: z.ZodObject },
    handler: (args: Record<string, unknown>, context: Context) => Promise<ToolResult>,
  ): unknown;
  registerResource(
    name: string,
    uriOrTemplate: never,
    config: { description: string; mimeType: string },
    read: (uri: URL, variables: Record<string, string | string[]>) => ResourceContents,
  ): unknown;
  registerPrompt(
    name: string,
    config: { description: string; argsSchema?: never },
    handler: (args: Record<string, string>) => PromptResult,
  ): unknown;
}

export function registerFixtures<Context>(server: FixtureHost<Context>, line: SdkLine<Context>): void {
  for (const tool of TOOLS) {
    server.registerTool(tool.name, { description: tool.description, inputSchema: tool.input }, (args, context) =>
      tool.run(args, line.toolCall(context)),
    );
  }
  for (const resource of RESOURCES) {
    const templated = resource.uri.includes('{');
    const target = (templated ? line.template(resource.uri) : resource.uri) as never;
    server.registerResource(
      resource.name,
      target,
      { description: resource.description, mimeType: resource.mimeType },
      (uri, variables) => ({
        contents: [{ uri: uri.href, mimeType: resource.mimeType, ...resource.read(uri, templated ? variables : {}) }],
      }),
    );
  }
  for (const prompt of PROMPTS) {
    const shape =
      prompt.args &&
      Object.fromEntries(
        Object.entries(prompt.args).map(([name, description]) => {
          const values = prompt.completions?.[name];
          const schema = z.string().describe(description);
          return [
            name,
            values ? line.completable(schema, (value) => values.filter((v) => v.startsWith(value))) : schema,
          ];
        }),
      );
    // Without arguments, both lines pass their request context first: not arguments.
    server.registerPrompt(
      prompt.name,
      { description: prompt.description, ...(shape && { argsSchema: line.promptArgs(shape) as never }) },
      (args) => ({
        messages: prompt.messages(prompt.args ? args : {}),
      }),
    );
  }
}

/**
 * The one list of what the deploy test (test/integration/deploy.test.ts) changes in the
 * synthesized template before deploying it into moto, each entry naming the emulator limit it works
 * around. Everything not listed deploys as synthesized. Entries act on resource types, never on
 * logical ids, so resources other changes add to the stack are covered as long as their types are.
 *
 * Four kinds of entry:
 * - `replace`: the template is rewritten into what the emulator models (same settings);
 * - `defer`: the resource is taken out and, once the stack is up, the test makes the API call
 *   CloudFormation would have made (the emulator implements the API, not the resource type);
 *   every `Ref`/`Fn::*` in its properties is resolved by the deployed stack itself, through an
 *   extra output, so the call gets the stack's real physical names and ARNs;
 * - `standIn`: the resource is created through its API before the deploy and the template refers
 *   to it through a parameter, because other resources or outputs reference it;
 * - `drop`: the resource is left out and the test does its work itself where it matters.
 *
 * Types moto's CloudFormation skips without harm (nothing references them) are left in the
 * template and listed in {@link SKIPPED_BY_EMULATOR}: the test cannot check them, the CDK assertion
 * tests and cfn-lint do.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface CfnResource {
  Type: string;
  Properties?: Record<string, Json>;
  DependsOn?: string | string[];
  [key: string]: Json | undefined;
}

export interface CfnTemplate {
  Parameters?: Record<string, Record<string, Json>>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: Json; [key: string]: Json }>;
  Rules?: Json;
  Description?: string;
}

/** A resource the test creates through the API after the deploy. */
export interface DeferredResource {
  readonly logicalId: string;
  readonly type: string;
  /** Properties with `{ [OUTPUT_MARKER]: outputKey }` where the template had an intrinsic. */
  readonly properties: Record<string, Json>;
}

/** A resource the test creates before the deploy; the template gets its ARN from `parameter`. */
export interface StandInResource {
  readonly logicalId: string;
  readonly type: string;
  readonly parameter: string;
  /** Literal properties only: intrinsics are resolved after the deploy, see `deferredProperties`. */
  readonly properties: Record<string, Json>;
  /** The resource's own properties that held intrinsics, resolved through outputs like a deferred one's. */
  readonly deferredProperties: Record<string, Json>;
  /** Parameters standing for its `Fn::GetAtt` attributes other than `Arn` (see {@link STAND_IN_ATTRIBUTES}), by attribute. */
  readonly attributeParameters: Readonly<Record<string, string>>;
}

/** Attributes other than `Arn` that the template reads of a stand-in's type; each gets its own parameter. */
export const STAND_IN_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  'AWS::CloudFront::Distribution': ['DomainName'],
  'AWS::CloudFront::OriginAccessControl': ['Id'],
};

export interface EmulatorTemplate {
  readonly template: CfnTemplate;
  readonly deferred: DeferredResource[];
  readonly standIns: StandInResource[];
  /** Logical ids removed from the template without replacement (see `dropped` entries). */
  readonly dropped: string[];
}

export const OUTPUT_MARKER = '__fromOutput';

interface Transform {
  /** The emulator limit this entry works around. */
  readonly limit: string;
  readonly kind: 'replace' | 'defer' | 'standIn' | 'drop';
  readonly types: readonly string[];
}

/** Every change the deploy test makes; the only place such a change may live. */
export const EMULATOR_TRANSFORMS: readonly Transform[] = [
  {
    limit:
      "moto's CloudFormation has no AWS::DynamoDB::GlobalTable (TableV2): replaced by AWS::DynamoDB::Table with the same keys, " +
      "billing, encryption, TTL, PITR and deletion protection; TTL and PITR, which moto's Table ignores, are then set through the API, " +
      "and SSESpecification also says `Enabled`, the API's name for `SSEEnabled`, which is what moto's Table reads",
    kind: 'replace',
    types: ['AWS::DynamoDB::GlobalTable'],
  },
  {
    limit:
      'Custom resources run a Lambda function, which moto runs only in a container: the bucket notification configuration ' +
      'is applied through PutBucketNotificationConfiguration, the call its handler makes',
    kind: 'defer',
    types: ['Custom::S3BucketNotifications'],
  },
  {
    limit:
      'Custom resources run a Lambda function, which moto runs only in a container: before deleting the stack the test ' +
      'empties the buckets itself, which is all Custom::S3AutoDeleteObjects does',
    kind: 'drop',
    types: ['Custom::S3AutoDeleteObjects'],
  },
  {
    limit:
      "moto's CloudFormation does not model CloudWatch alarms: each is created with PutMetricAlarm (PutCompositeAlarm), " +
      "named {stack}-{logicalId}, which is how the dashboard's references to them are written",
    kind: 'defer',
    types: ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm'],
  },
  {
    limit:
      "moto's CloudFormation does not model AWS::Transfer::Server: it is created with CreateServer before the deploy and " +
      'the template gets its ARN (its Ref) as a parameter',
    kind: 'standIn',
    types: ['AWS::Transfer::Server'],
  },
  {
    limit:
      "moto's CloudFormation gives an AWS::SecretsManager::Secret a Ref that IAM cannot use: the grant naming it fails " +
      "with MalformedPolicyDocument 'Policy statement must contain resources'. It is created with CreateSecret before the " +
      'deploy and the template gets its ARN as a parameter',
    kind: 'standIn',
    types: ['AWS::SecretsManager::Secret'],
  },
  {
    limit:
      "moto's CloudFormation does not model Cognito user pools and their clients (the web channel, SPEC §18): each is " +
      'created with CreateUserPool / CreateUserPoolClient before the deploy and the template gets its id (its Ref) as a parameter',
    kind: 'standIn',
    types: ['AWS::Cognito::UserPool', 'AWS::Cognito::UserPoolClient'],
  },
  {
    limit:
      "moto's CloudFormation does not model API Gateway v2: the HTTP API is created with CreateApi before the deploy and " +
      'the template gets its id (its Ref) as a parameter; its stage, routes, integration and authorizer are skipped',
    kind: 'standIn',
    types: ['AWS::ApiGatewayV2::Api'],
  },
  {
    limit:
      "moto's CloudFormation does not model CloudFront (and answers a GetAtt on a distribution with HTTP 500): the portal's " +
      'distribution and origin access control are created with CreateDistribution / CreateOriginAccessControl before the ' +
      'deploy, the template gets their ids and the domain name as parameters, and the test checks that the configuration ' +
      'the template gives the distribution resolves to the deployed bucket and API. moto has no response headers policy API ' +
      'at all: that one stands in as a made-up id, and the CDK assertions check its headers',
    kind: 'standIn',
    types: ['AWS::CloudFront::Distribution', 'AWS::CloudFront::OriginAccessControl', 'AWS::CloudFront::ResponseHeadersPolicy'],
  },
  {
    limit:
      "Custom resources run a Lambda function, which moto runs only in a container: the portal's files are not copied into " +
      'its bucket; the test checks the built portal in the cloud assembly instead',
    kind: 'drop',
    types: ['Custom::CDKBucketDeployment'],
  },
];

/** Options of `cdk deploy` the emulator needs, each with the limit it works around. */
export const EMULATOR_DEPLOY_OPTIONS: readonly { readonly option: string; readonly limit: string }[] = [
  {
    option: '--method=direct',
    limit: "moto's change sets never fill in a stack's outputs (CreateStack/UpdateStack do), and the CLI reads the outputs",
  },
];

/**
 * Bucket settings moto's CloudFormation ignores (it applies only BucketEncryption and Tags); the
 * test applies the ones it checks through the API after the deploy.
 */
export const BUCKET_SETTINGS_APPLIED_AFTER_DEPLOY = ['VersioningConfiguration', 'CorsConfiguration'] as const;

/**
 * Types moto's CloudFormation skips with a warning, harmless as long as nothing references them
 * (`emulatorTemplate` throws if something does: such a type needs a `standIn` entry instead, e.g.
 * AWS::SecretsManager::Secret, which moto's CloudFormation does not model either).
 */
export const SKIPPED_BY_EMULATOR = [
  'AWS::CDK::Metadata',
  'AWS::S3::BucketPolicy',
  'AWS::SQS::QueuePolicy',
  'AWS::SNS::TopicPolicy',
  'AWS::SNS::Subscription',
  'AWS::SES::EmailIdentity',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::Logs::MetricFilter',
  'AWS::XRay::Group',
  'AWS::XRay::SamplingRule',
  // The HTTP API's parts refer to one another and to the API; nothing else refers to them.
  'AWS::ApiGatewayV2::Stage',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Authorizer',
] as const;

/**
 * Skipped types whose `Ref` is a literal of their own properties, so a reference to them can be
 * inlined: an SES identity's `Ref` is the identity itself (the sender address), which IAM policies
 * name in the identity's ARN.
 */
const LITERAL_REF_OF_SKIPPED: Readonly<Record<string, (resource: CfnResource) => Json | undefined>> = {
  'AWS::SES::EmailIdentity': (resource) => resource.Properties?.EmailIdentity,
};

const isIntrinsic = (value: Json): value is Record<string, Json> =>
  value !== null &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  Object.keys(value).length === 1 &&
  (Object.keys(value)[0] === 'Ref' || (Object.keys(value)[0] as string).startsWith('Fn::'));

function mapJson(value: Json, visit: (node: Json) => Json | undefined): Json {
  const replaced = visit(value);
  if (replaced !== undefined) return replaced;
  if (Array.isArray(value)) return value.map((item) => mapJson(item, visit));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapJson(item, visit)]));
  }
  return value;
}

function tableFromGlobalTable(resource: CfnResource): CfnResource {
  const { Replicas, SSESpecification, ...rest } = resource.Properties ?? {};
  const replica = ((Replicas as Json[] | undefined)?.[0] ?? {}) as Record<string, Json>;
  const sse = (SSESpecification ?? {}) as Record<string, Json>;
  const replicaSse = (replica.SSESpecification ?? {}) as Record<string, Json>;
  const { Type: _type, Properties: _properties, ...attributes } = resource;
  return {
    ...attributes,
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      ...rest,
      ...(SSESpecification
        ? {
            SSESpecification: {
              ...sse,
              Enabled: sse.SSEEnabled ?? false,
              ...(replicaSse.KMSMasterKeyId ? { KMSMasterKeyId: replicaSse.KMSMasterKeyId } : {}),
            },
          }
        : {}),
      ...(replica.PointInTimeRecoverySpecification ? { PointInTimeRecoverySpecification: replica.PointInTimeRecoverySpecification } : {}),
      ...(replica.DeletionProtectionEnabled !== undefined ? { DeletionProtectionEnabled: replica.DeletionProtectionEnabled } : {}),
      ...(replica.Tags ? { Tags: replica.Tags } : {}),
    },
  };
}

const pascalParameter = (logicalId: string): string => `Emulator${logicalId.replace(/[^A-Za-z0-9]/g, '')}Arn`;

/** Applies {@link EMULATOR_TRANSFORMS} to a synthesized template (which it does not modify). */
export function emulatorTemplate(synthesized: CfnTemplate): EmulatorTemplate {
  const template = structuredClone(synthesized);
  template.Outputs ??= {};
  template.Parameters ??= {};
  const deferred: DeferredResource[] = [];
  const standIns: StandInResource[] = [];
  const dropped: string[] = [];
  let outputs = 0;

  // Intrinsics in a removed resource's properties become outputs the deployed stack resolves.
  const hoist = (properties: Record<string, Json>): Record<string, Json> =>
    mapJson(properties, (node) => {
      if (!isIntrinsic(node)) return undefined;
      const key = `EmulatorValue${++outputs}`;
      (template.Outputs as NonNullable<CfnTemplate['Outputs']>)[key] = { Value: node };
      return { [OUTPUT_MARKER]: key };
    }) as Record<string, Json>;

  const kindOf = (type: string): Transform['kind'] | undefined => EMULATOR_TRANSFORMS.find((t) => t.types.includes(type))?.kind;
  const parameters = new Map<string, string>();
  const attributes = new Map<string, string>();

  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const kind = kindOf(resource.Type);
    if (kind === 'replace') template.Resources[logicalId] = tableFromGlobalTable(resource);
    if (kind === 'drop') {
      dropped.push(logicalId);
      delete template.Resources[logicalId];
    }
    if (kind === 'defer') {
      delete template.Resources[logicalId];
      deferred.push({ logicalId, type: resource.Type, properties: hoist(resource.Properties ?? {}) });
    }
    if (kind === 'standIn') {
      delete template.Resources[logicalId];
      const parameter = pascalParameter(logicalId);
      parameters.set(logicalId, parameter);
      template.Parameters[parameter] = { Type: 'String', Description: `ARN of the stand-in for ${logicalId} (${resource.Type})` };
      const literal = Object.fromEntries(
        Object.entries(resource.Properties ?? {}).filter(([, v]) => !JSON.stringify(v).match(/"(Ref|Fn::[A-Za-z]+)"/)),
      );
      const withIntrinsics = Object.fromEntries(Object.entries(resource.Properties ?? {}).filter(([k]) => !(k in literal)));
      const attributeParameters = Object.fromEntries(
        (STAND_IN_ATTRIBUTES[resource.Type] ?? []).map((attribute) => [attribute, `${parameter.replace(/Arn$/, '')}${attribute}`]),
      );
      for (const [attribute, name] of Object.entries(attributeParameters)) {
        template.Parameters[name] = { Type: 'String', Description: `${attribute} of the stand-in for ${logicalId} (${resource.Type})` };
        attributes.set(`${logicalId}.${attribute}`, name);
      }
      standIns.push({
        logicalId,
        type: resource.Type,
        parameter,
        properties: literal,
        deferredProperties: hoist(withIntrinsics),
        attributeParameters,
      });
    }
  }

  // References to stand-ins go to their parameter; to removed or skipped resources, nowhere.
  const skipped = new Set(
    Object.entries(template.Resources)
      .filter(([, r]) => (SKIPPED_BY_EMULATOR as readonly string[]).includes(r.Type))
      .map(([id]) => id),
  );
  const removed = new Set([...dropped, ...deferred.map((d) => d.logicalId)]);
  const deferredAlarms = new Set(deferred.filter((d) => d.type === 'AWS::CloudWatch::Alarm').map((d) => d.logicalId));
  const redirect = (node: Json): Json | undefined => {
    if (!isIntrinsic(node)) return undefined;
    const ref = node.Ref;
    if (typeof ref === 'string' && parameters.has(ref)) return { Ref: parameters.get(ref) as string };
    const getAtt = node['Fn::GetAtt'];
    if (Array.isArray(getAtt) && parameters.has(getAtt[0] as string)) {
      if (getAtt[1] === 'Arn') return { Ref: parameters.get(getAtt[0] as string) as string };
      const attribute = attributes.get(`${getAtt[0]}.${getAtt[1]}`);
      if (attribute) return { Ref: attribute };
      throw new Error(
        `Fn::GetAtt ${getAtt.join('.')}: the emulator's stand-in gives only its ARN (Ref): list the attribute in STAND_IN_ATTRIBUTES`,
      );
    }
    const target = typeof ref === 'string' ? ref : Array.isArray(getAtt) ? (getAtt[0] as string) : undefined;
    // A deferred alarm gets the name the test gives it (`{stack}-{logicalId}`), so its ARN is known
    // before it exists: the dashboard's alarm widgets name it that way.
    if (Array.isArray(getAtt) && getAtt[1] === 'Arn' && deferredAlarms.has(target as string)) {
      return { 'Fn::Sub': `arn:\${AWS::Partition}:cloudwatch:\${AWS::Region}:\${AWS::AccountId}:alarm:\${AWS::StackName}-${target}` };
    }
    if (target && removed.has(target)) throw new Error(`${target} is removed for the emulator but referenced: extend EMULATOR_TRANSFORMS`);
    if (target && skipped.has(target)) {
      const literal =
        typeof ref === 'string'
          ? LITERAL_REF_OF_SKIPPED[template.Resources[target]?.Type ?? '']?.(template.Resources[target] as CfnResource)
          : undefined;
      if (typeof literal === 'string') return literal;
      throw new Error(
        `${target} is referenced, but moto's CloudFormation skips its type: give the type a standIn entry in EMULATOR_TRANSFORMS`,
      );
    }
    return undefined;
  };
  // A skipped resource may refer to other skipped ones: moto ignores it whole.
  const redirectFrom =
    (logicalId: string) =>
    (node: Json): Json | undefined => {
      if (skipped.has(logicalId) && isIntrinsic(node)) {
        const ref = node.Ref;
        const getAtt = node['Fn::GetAtt'];
        const target = typeof ref === 'string' ? ref : Array.isArray(getAtt) ? (getAtt[0] as string) : undefined;
        if (target && skipped.has(target)) return node;
      }
      return redirect(node);
    };
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const next = mapJson(resource as unknown as Json, redirectFrom(logicalId)) as unknown as CfnResource;
    const dependsOn = [next.DependsOn ?? []].flat().filter((id) => !removed.has(id) && !parameters.has(id));
    if (dependsOn.length) next.DependsOn = dependsOn;
    else delete next.DependsOn;
    template.Resources[logicalId] = next;
  }
  template.Outputs = mapJson(template.Outputs as Json, redirect) as CfnTemplate['Outputs'];
  return { template, deferred, standIns, dropped };
}

/** A hoisted property tree with the deployed stack's output values put back in. */
export function resolveFromOutputs(properties: Record<string, Json>, outputs: ReadonlyMap<string, string>): Record<string, Json> {
  return mapJson(properties, (node) => {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !(OUTPUT_MARKER in node)) return undefined;
    const key = node[OUTPUT_MARKER] as string;
    const value = outputs.get(key);
    if (value === undefined) throw new Error(`the deployed stack has no output ${key}`);
    return value;
  }) as Record<string, Json>;
}

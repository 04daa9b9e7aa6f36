import { Aspects, CfnResource, Lazy, Stack, type IAspect } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Leaves out of every resource's `DependsOn` the resources it already references through `Ref` or
 * `Fn::GetAtt` (cfn-lint W3005). aws-cdk-lib adds such entries itself: `lambda.Function` depends
 * on its whole role construct so that the role's default policy exists before the function, and
 * with the policy comes the role, which the function's `Role` property already references; the
 * singleton handlers of custom resources do the same. CloudFormation orders a referenced resource
 * first anyway, so dropping exactly those entries changes no deployment order, and the necessary
 * entries (the policies) stay.
 *
 * An aspect, so resources added to the stack later (any construct, any engineer) are covered too.
 * The list is computed when the template is rendered: CDK turns construct dependencies into
 * `DependsOn` after aspects run.
 */
export function omitImpliedDependsOn(stack: Stack): void {
  Aspects.of(stack).add(new OmitImpliedDependsOn());
}

class OmitImpliedDependsOn implements IAspect {
  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || Stack.of(node).nested) return;
    const resource = node;
    const stack = Stack.of(resource);
    resource.addOverride(
      'DependsOn',
      Lazy.list(
        {
          produce: () => {
            const referenced = new Set<string>();
            // The properties as declared (property overrides aside): a reference missed here only
            // keeps an entry, which is harmless.
            collectReferences(stack.resolve((resource as unknown as { cfnProperties: unknown }).cfnProperties), referenced);
            const dependsOn = resource
              .obtainDependencies()
              .filter((target): target is CfnResource => CfnResource.isCfnResource(target) && Stack.of(target) === stack)
              .map((target) => stack.resolve(target.logicalId) as string)
              .filter((logicalId) => !referenced.has(logicalId));
            return [...new Set(dependsOn)].sort();
          },
        },
        { omitEmpty: true },
      ),
    );
  }
}

/** Logical ids named by `Ref` and `Fn::GetAtt` anywhere in a resolved template fragment. */
function collectReferences(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, into);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  if (typeof record.Ref === 'string') into.add(record.Ref);
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') into.add(getAtt[0]);
  for (const child of Object.values(record)) collectReferences(child, into);
}

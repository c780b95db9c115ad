import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/engine/run-rules.js';
import rule from '../../src/rules/endpoint-change-drops-connections.js';
import {
  checkTemplateCase,
  checkTerraformCase,
  findingsFor,
  scopeFor,
  scopeForTerraform,
  type TemplateCase,
  type TerraformCase,
} from './helpers.js';
import { VPC, template } from './templates.js';
import { TF_VPC, tfModule } from './terraform-templates.js';

/** A gateway endpoint with the given `RouteTableIds` lines (YAML list items) and a marker. */
function gateway(routeTables: string, marker = '', type = ''): string {
  return `
S3Endpoint:${marker}
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    ServiceName: !Sub com.amazonaws.\${AWS::Region}.s3
${type === '' ? '' : `    VpcEndpointType: ${type}\n`}${routeTables === '' ? '' : `    RouteTableIds:\n${routeTables}`}`;
}

const ROUTE_TABLES = `
PrivateA:
  Type: AWS::EC2::RouteTable
  Properties:
    VpcId: !Ref Vpc
PrivateB:
  Type: AWS::EC2::RouteTable
  Properties:
    VpcId: !Ref Vpc
`;

const BASE = template(VPC, ROUTE_TABLES, gateway('      - !Ref PrivateA\n'));

interface ChangeCase extends TemplateCase {
  /** The base version; undefined = a new file. */
  readonly base: string | undefined;
}

const cases: ChangeCase[] = [
  {
    name: 'fail_route_table_added',
    base: BASE,
    yaml: template(
      VPC,
      ROUTE_TABLES,
      gateway('      - !Ref PrivateA\n      - !Ref PrivateB\n', ' # FIRE'),
    ),
    fire: {
      resource: 'S3Endpoint',
      severity: 'notice',
      words: ['adds route tables !Ref PrivateB', 'S3Endpoint', 'drop'],
    },
  },
  {
    name: 'fail_route_table_replaced',
    base: BASE,
    yaml: template(VPC, ROUTE_TABLES, gateway('      - !Ref PrivateB\n', ' # FIRE')),
    fire: {
      resource: 'S3Endpoint',
      severity: 'notice',
      words: ['adds route tables !Ref PrivateB', 'removes route tables !Ref PrivateA'],
    },
  },
  {
    name: 'fail_endpoint_created',
    base: template(VPC, ROUTE_TABLES),
    yaml: template(VPC, ROUTE_TABLES, gateway('      - !Ref PrivateA\n', ' # FIRE')),
    fire: {
      resource: 'S3Endpoint',
      severity: 'notice',
      words: ['creates S3 gateway endpoint S3Endpoint', '!Ref PrivateA'],
    },
  },
  {
    name: 'fail_new_file',
    base: undefined,
    yaml: template(VPC, gateway('      - rtb-0a1b2c3d\n', ' # FIRE')),
    fire: { resource: 'S3Endpoint', severity: 'notice', words: ['creates', 'rtb-0a1b2c3d'] },
  },
  {
    name: 'pass_new_endpoint_without_route_tables',
    base: template(VPC),
    yaml: template(VPC, gateway('')),
  },
  {
    name: 'fail_conditional_route_table_added',
    base: BASE,
    yaml: template(
      VPC,
      ROUTE_TABLES,
      gateway(
        '      - !Ref PrivateA\n      - !If [HasB, !Ref PrivateB, !Ref AWS::NoValue]\n',
        ' # FIRE',
      ),
    ),
    fire: {
      resource: 'S3Endpoint',
      severity: 'notice',
      words: ['adds route tables !Ref PrivateB (when HasB is true)'],
    },
  },
  {
    name: 'pass_conditional_route_tables_unchanged',
    base: template(
      VPC,
      ROUTE_TABLES,
      gateway('      - !If [HasB, !Ref PrivateB, !Ref AWS::NoValue]\n      - !Ref PrivateA\n'),
    ),
    yaml: template(
      VPC,
      ROUTE_TABLES,
      gateway('      - !Ref PrivateA\n      - !If [HasB, !Ref PrivateB, !Ref AWS::NoValue]\n'),
    ),
  },
  {
    name: 'pass_same_route_tables_reordered',
    base: template(VPC, ROUTE_TABLES, gateway('      - !Ref PrivateA\n      - !Ref PrivateB\n')),
    yaml: template(VPC, ROUTE_TABLES, gateway('      - !Ref PrivateB\n      - !Ref PrivateA\n')),
  },
  {
    name: 'pass_getatt_style_same_reference',
    base: template(VPC, gateway('      - rtb-1\n')),
    yaml: template(VPC, gateway("      - 'rtb-1'\n")),
  },
  {
    name: 'pass_route_tables_unknown_on_one_side',
    base: BASE,
    yaml: template(VPC, ROUTE_TABLES, gateway('      - !ImportValue SharedRouteTable\n')),
  },
  {
    name: 'pass_interface_endpoint_created',
    base: template(VPC),
    yaml: template(VPC, gateway('', '', 'Interface')),
  },
];

describe('endpoint-change-drops-connections', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const base = c.base === undefined ? undefined : await scopeFor(c.base, 'base.yaml');
      const { actual, wanted } = await checkTemplateCase(rule, {
        ...c,
        options: { change: { base } },
      });
      expect(actual).toEqual(wanted);
    });
  }

  it('is silent without a change context', async () => {
    expect(await findingsFor(rule, template(VPC, gateway('      - rtb-1\n')))).toEqual([]);
  });

  it('offers the maintenance-window fix', async () => {
    const [finding] = await findingsFor(
      rule,
      template(VPC, gateway('      - rtb-1\n')),
      'template.yaml',
      {
        change: { base: undefined },
      },
    );
    expect(finding?.fix?.description).toContain('maintenance window');
    expect(finding?.fix?.description).toContain('retry');
  });
});

const TF_TABLES = `
resource "aws_route_table" "a" {
  vpc_id = aws_vpc.main.id
}
resource "aws_route_table" "b" {
  vpc_id = aws_vpc.main.id
}
`;

function tfGateway(routeTables: string, marker = ''): string {
  return `
resource "aws_vpc_endpoint" "s3" {${marker}
  vpc_id          = aws_vpc.main.id
  service_name    = "com.amazonaws.eu-west-1.s3"
${routeTables === '' ? '' : `  route_table_ids = ${routeTables}\n`}}
`;
}

function tfAssociation(name: string, table: string, marker = ''): string {
  return `
resource "aws_vpc_endpoint_route_table_association" "${name}" {${marker}
  vpc_endpoint_id = aws_vpc_endpoint.s3.id
  route_table_id  = ${table}
}
`;
}

interface TfChangeCase extends TerraformCase {
  readonly base: Readonly<Record<string, string>> | undefined;
}

const TF_BASE = tfModule(TF_VPC, TF_TABLES, tfGateway('[aws_route_table.a.id]'));

const terraformCases: TfChangeCase[] = [
  {
    name: 'fail_tf_route_table_added_in_the_list',
    base: TF_BASE,
    files: tfModule(
      TF_VPC,
      TF_TABLES,
      tfGateway('[aws_route_table.a.id, aws_route_table.b.id]', ' # FIRE'),
    ),
    fire: {
      resource: 'aws_vpc_endpoint.s3',
      severity: 'notice',
      words: ['adds route tables aws_route_table.b.id'],
    },
  },
  {
    name: 'fail_tf_route_table_added_by_an_association',
    base: TF_BASE,
    files: tfModule(
      TF_VPC,
      TF_TABLES,
      tfGateway('[aws_route_table.a.id]'),
      tfAssociation('b', 'aws_route_table.b.id', ' # FIRE'),
    ),
    fire: {
      resource: 'aws_vpc_endpoint_route_table_association.b',
      severity: 'notice',
      words: ['adds route tables aws_route_table.b.id', 'aws_vpc_endpoint.s3'],
    },
  },
  {
    name: 'fail_tf_association_removed',
    base: tfModule(
      TF_VPC,
      TF_TABLES,
      tfGateway(''),
      tfAssociation('a', 'aws_route_table.a.id'),
      tfAssociation('b', 'aws_route_table.b.id'),
    ),
    files: tfModule(
      TF_VPC,
      TF_TABLES,
      tfGateway('', ' # FIRE'),
      tfAssociation('a', 'aws_route_table.a.id'),
    ),
    fire: {
      resource: 'aws_vpc_endpoint.s3',
      severity: 'notice',
      words: ['removes route tables aws_route_table.b.id'],
    },
  },
  {
    name: 'pass_tf_list_moved_to_associations',
    base: TF_BASE,
    files: tfModule(TF_VPC, TF_TABLES, tfGateway(''), tfAssociation('a', 'aws_route_table.a.id')),
  },
  {
    name: 'fail_tf_new_module',
    base: undefined,
    files: tfModule(TF_VPC, tfGateway('["rtb-0a1b2c3d"]', ' # FIRE')),
    fire: { resource: 'aws_vpc_endpoint.s3', severity: 'notice', words: ['creates'] },
  },
  {
    name: 'pass_tf_route_tables_from_a_variable',
    base: TF_BASE,
    files: tfModule(TF_VPC, TF_TABLES, tfGateway('var.route_table_ids')),
  },
];

describe('endpoint-change-drops-connections (Terraform)', () => {
  for (const c of terraformCases) {
    it(c.name, async () => {
      const base = c.base === undefined ? undefined : await scopeForTerraform(c.base);
      const { actual, wanted } = await checkTerraformCase(rule, {
        ...c,
        options: { change: { base } },
      });
      expect(actual).toEqual(wanted);
    });
  }

  it('names the endpoint as related when the association is the site', async () => {
    const base = await scopeForTerraform(TF_BASE);
    const head = await scopeForTerraform(
      tfModule(
        TF_VPC,
        TF_TABLES,
        tfGateway('[aws_route_table.a.id]'),
        tfAssociation('b', 'aws_route_table.b.id'),
      ),
    );
    const [finding] = runRules(head, [rule], { change: { base } });
    expect(finding?.related.map((r) => r.resource)).toEqual(['aws_vpc_endpoint.s3']);
  });
});

import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';

/**
 * The web channel's JSON API (SPEC §18) behind API Gateway's HTTP API. Placeholder until the API
 * lands: it answers every route with a problem document, so the stack can be built and deployed.
 */
export async function handler(_event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  return {
    statusCode: 503,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({ type: 'about:blank', title: 'Not yet available', status: 503 }),
  };
}

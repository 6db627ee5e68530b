import { analysisOf, showOps } from './helpers';

const lines = (...l: string[]): string => l.join('\n');

describe('GraphQL operations', () => {
  it('reads Nest resolver classes: @Query, @Mutation, @Subscription, @ResolveField, names from options, served on GraphQLModule path', () => {
    const { graphql, routes } = analysisOf({
      'app.module.ts': lines(
        "import { Module } from '@nestjs/common';",
        "import { GraphQLModule } from '@nestjs/graphql';",
        "import { TeamResolver } from './team.resolver';",
        "@Module({ imports: [GraphQLModule.forRootAsync({ useFactory: () => ({ path: '/gql', autoSchemaFile: true }) })], providers: [TeamResolver] })",
        'export class AppModule {}',
      ),
      'team.resolver.ts': lines(
        "import { Args, Mutation, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';",
        "import { Team } from './team.model';",
        '@Resolver(() => Team)',
        'export class TeamResolver {',
        '  @Query(() => [Team])',
        '  myTeams() {}',
        "  @Query(() => Team, { name: 'team' })",
        '  getTeam(@Args() id: string) {}',
        '  @Mutation(() => Team)',
        '  createTeam() {}',
        '  @Subscription(() => Team)',
        '  teamUpdated() {}',
        '  @ResolveField(() => [String])',
        '  members() {}',
        '}',
      ),
      'team.model.ts': "export class Team { id = ''; }",
    });
    expect(routes).toEqual([]);
    expect(showOps(graphql)).toEqual([
      'Mutation.createTeam team.resolver.ts:9 /gql',
      'Query.myTeams team.resolver.ts:5 /gql',
      'Query.team team.resolver.ts:7 /gql',
      'Subscription.teamUpdated team.resolver.ts:11 /gql',
      'Team.members team.resolver.ts:13 /gql',
    ]);
  });

  it('reads type-graphql resolvers and string-named Nest schema-first resolvers', () => {
    const { graphql } = analysisOf({
      'recipe.resolver.ts': lines(
        "import { FieldResolver, Query, Resolver } from 'type-graphql';",
        "import { Recipe } from './recipe';",
        '@Resolver(Recipe)',
        'export class RecipeResolver {',
        '  @Query(() => [Recipe]) recipes() {}',
        '  @FieldResolver() rating() {}',
        '}',
      ),
      'recipe.ts': 'export class Recipe {}',
      'order.resolver.ts': lines("import { Query, ResolveField, Resolver } from '@nestjs/graphql';", "@Resolver('Order')", 'export class OrderResolver {', "  @Query('orders') list() {}", "  @ResolveField('lines') orderLines() {}", '}'),
    });
    expect(showOps(graphql)).toEqual([
      'Order.lines order.resolver.ts:5 /graphql',
      'Query.orders order.resolver.ts:4 /graphql',
      'Query.recipes recipe.resolver.ts:5 /graphql',
      'Recipe.rating recipe.resolver.ts:6 /graphql',
    ]);
  });

  it('reads schema-first resolver maps, attributing spread-in fields to the module that holds them, served where the server is mounted', () => {
    const { graphql, routes } = analysisOf({
      'users/resolvers.ts': lines('export const userQueries = {', '  users: () => [],', '  user: (_: unknown, args: { id: string }) => args.id,', '};'),
      'posts/resolvers.ts': lines('export function posts() { return []; }', 'export function createPost() { return {}; }'),
      'schema.ts': lines(
        "import { userQueries } from './users/resolvers';",
        "import { posts, createPost } from './posts/resolvers';",
        'export const resolvers = {',
        '  Query: { ...userQueries, posts },',
        '  Mutation: { createPost },',
        '  User: { posts: () => [] },',
        '};',
      ),
      'server.ts': lines(
        "import express from 'express';",
        "import { ApolloServer } from '@apollo/server';",
        "import { expressMiddleware } from '@apollo/server/express4';",
        "import { resolvers } from './schema';",
        'const app = express();',
        'const server = new ApolloServer({ typeDefs: "", resolvers });',
        "app.use('/api/graphql', expressMiddleware(server));",
        "app.get('/health', h);",
      ),
    });
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /health']);
    expect(showOps(graphql)).toEqual([
      'Mutation.createPost posts/resolvers.ts:2 /api/graphql',
      'Query.posts posts/resolvers.ts:1 /api/graphql',
      'Query.user users/resolvers.ts:3 /api/graphql',
      'Query.users users/resolvers.ts:2 /api/graphql',
      'User.posts schema.ts:6 /api/graphql',
    ]);
  });

  it('takes no object with a Query member for a resolver map in a project without GraphQL', () => {
    const { graphql } = analysisOf({ 'x.ts': "export const shapes = { Query: { a: () => 1 } };\nimport express from 'express';" });
    expect(graphql).toEqual([]);
  });
});

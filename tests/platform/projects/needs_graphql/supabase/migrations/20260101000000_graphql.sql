create extension if not exists pg_graphql;

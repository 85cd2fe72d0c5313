import { Field, ObjectType } from 'type-graphql';
import { RequiresScopes } from '../../shared/schema/access';

/** An API client as the General Secretariat sees it; its secret is never shown after it is issued. */
@ObjectType('ApiClient', {
  description:
    'An API client of an agency: it gets access tokens with its secret, which only its agency holds.',
})
export class ApiClientInfo {
  @Field({ description: 'The OAuth2 client id.' })
  clientId: string;

  /** Not a field: lets `agency` load. */
  agencyId: string;

  @RequiresScopes(['agencies:admin'])
  @Field(() => String, { nullable: true, description: 'What the client is for.' })
  description: string | null;

  @RequiresScopes(['agencies:admin'])
  @Field(() => Date, { nullable: true, description: 'When it was created.' })
  createdAt: Date;

  @RequiresScopes(['agencies:admin'])
  @Field(() => Date, {
    nullable: true,
    description: 'When it was disabled (the token endpoint refuses it since); null while enabled.',
  })
  disabledAt: Date | null;
}

@ObjectType('ApiClientCredentials', {
  description:
    'A client id with its new secret, shown this once: the hub keeps only a slow hash of it. Hand it to the agency over a secure channel.',
})
export class ApiClientCredentials {
  @Field({ description: 'The OAuth2 client id.' })
  clientId: string;

  @RequiresScopes(['agencies:admin'])
  @Field(() => String, {
    nullable: true,
    description:
      'The client secret, for `POST /oauth/token`. It cannot be read again: rotate it if it is lost.',
  })
  clientSecret: string;
}

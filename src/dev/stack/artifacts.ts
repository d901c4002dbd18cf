// Exact versions of the local stack. Maven resolves them into the cache; every file is checked against the
// SHA-256 sums committed beside this module before it is used, so a changed artifact cannot slip in.

export const KAFKA_VERSION = '4.4.0';
export const LOG4J_VERSION = '2.26.1';
export const ELASTICSEARCH_VERSION = '9.5.4';
export const MAVEN_DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

/** Maven Central publishes no checksum for this zip, so its sum is pinned here. */
export const ELASTICSEARCH_ZIP = {
  artifact: `org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ELASTICSEARCH_VERSION}:zip`,
  file: `elasticsearch-${ELASTICSEARCH_VERSION}.zip`,
  sha256: 'd9b0c28e08e499f6510b52ad66ec4bf9cdceab97cc28b3456989b8744b896934',
} as const;

/** Kafka's POM brings no SLF4J binding; log4j2 is added so the broker logs to a file. */
export function kafkaPom(): string {
  const dep = (g: string, a: string, v: string): string =>
    `    <dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>wg-siem.local-stack</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>${KAFKA_VERSION}</version>
  <packaging>pom</packaging>
  <dependencies>
${[
    dep('org.apache.kafka', 'kafka_2.13', KAFKA_VERSION),
    dep('org.apache.logging.log4j', 'log4j-slf4j-impl', LOG4J_VERSION),
    dep('org.apache.logging.log4j', 'log4j-core', LOG4J_VERSION),
    dep('org.apache.logging.log4j', 'log4j-api', LOG4J_VERSION),
  ].join('\n')}
  </dependencies>
</project>
`;
}

# mla-router: the same runnable jar as ./mla-router, run with 'run' against the cluster the environment names.
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline
COPY schemas schemas
COPY examples examples
COPY src/main src/main
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17.0.15_6-jre
RUN useradd --system --home /var/lib/mla-router mla-router && mkdir -p /var/lib/mla-router /app/treaties \
    && chown mla-router /var/lib/mla-router
COPY --from=build /build/target/mla-router.jar /app/mla-router.jar
COPY src/main/resources/treaties/kz-treaties.json /app/treaties/kz-treaties.json
COPY examples /app/examples
USER mla-router
WORKDIR /var/lib/mla-router
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/mla-router.jar"]
CMD ["run"]

package dev.autopartition.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.ChangeFactory;
import liquibase.configuration.LiquibaseConfiguration;
import liquibase.database.core.H2Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.parser.NamespaceDetails;
import liquibase.parser.NamespaceDetailsFactory;
import liquibase.parser.core.xml.XMLChangeLogSAXParser;
import liquibase.serializer.core.xml.XMLChangeLogSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** What META-INF/services registers, and that the XSD and the change classes describe the same attributes. */
class ExtensionRegistrationTest {
    private static final String XSD_DIR = "autopartition.dev/xml/ns/autopartition/";

    @Test
    void changesAreRegisteredForPostgresOnly() {
        ChangeFactory factory = Scope.getCurrentScope().getSingleton(ChangeFactory.class);
        assertThat(factory.getDefinedChanges())
                .as("change names")
                .contains(
                        "autoPartition",
                        "createPartition",
                        "dropAutoPartition",
                        "dropPartition",
                        "maintainPartitions",
                        "migrateToPartitioned",
                        "finalizeMigration",
                        "installDatabaseMaintenance",
                        "uninstallDatabaseMaintenance");
        Change change = factory.create("autoPartition");
        assertThat(change).isInstanceOf(AutoPartitionChange.class);
        assertThat(change.supports(new PostgresDatabase())).as("PostgreSQL").isTrue();
        assertThat(change.supports(new H2Database())).as("other databases").isFalse();
    }

    @Test
    void namespaceAndConfigurationAreRegistered() {
        NamespaceDetails details = NamespaceDetailsFactory.getInstance()
                .getNamespaceDetails(new XMLChangeLogSAXParser(), AbstractPartitionChange.NAMESPACE);
        assertThat(details).isInstanceOf(AutoPartitionNamespaceDetails.class);
        assertThat(details.getShortName(AbstractPartitionChange.NAMESPACE)).isEqualTo("autopartition");
        for (String key : Set.of("now", "catalogSchema", "lockTimeout", "attempts", "batchSize")) {
            assertThat(Scope.getCurrentScope()
                            .getSingleton(LiquibaseConfiguration.class)
                            .getRegisteredDefinition("liquibase.autopartition." + key))
                    .as("configuration key liquibase.autopartition." + key)
                    .isNotNull();
        }
    }

    @Test
    void xmlSerializationUsesTheNamespacePrefix() {
        AutoPartitionChange change = new AutoPartitionChange();
        change.setTableName("events");
        change.setColumnName("created_at");
        change.setIncrement("1 day");
        String xml = new XMLChangeLogSerializer().serialize(change, false);
        assertThat(xml)
                .as("generated changelogs write the change in its namespace")
                .contains("<autopartition:autoPartition")
                .contains("tableName=\"events\"")
                .contains("increment=\"1 day\"");
    }

    @Test
    void versionedAndLatestXsdAreInTheJarAtTheirUrlPath() throws Exception {
        String latest = read(XSD_DIR + "autopartition-latest.xsd");
        assertThat(read(XSD_DIR + "autopartition-0.2.xsd"))
                .as("0.2 is the latest version")
                .isEqualTo(latest);
        assertThat(read(XSD_DIR + "autopartition-0.1.xsd"))
                .as("0.1 stays as it was released: no tiering, no autocreate expression")
                .contains("name=\"namingPattern\"")
                .doesNotContain("tierAfter")
                .doesNotContain("autocreateExpression");
        assertThat(AbstractPartitionChange.XSD_LATEST.replace("http://", ""))
                .as("the path Liquibase looks up offline")
                .isEqualTo(XSD_DIR + "autopartition-latest.xsd");
        assertThat(latest)
                .as("no default values (they would enter XML checksums)")
                .doesNotContain("default=");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "autoPartition",
                "createPartition",
                "dropAutoPartition",
                "dropPartition",
                "maintainPartitions",
                "migrateToPartitioned",
                "finalizeMigration",
                "installDatabaseMaintenance",
                "uninstallDatabaseMaintenance"
            })
    void xsdAttributesMatchTheChangeProperties(String name) throws Exception {
        Change change =
                Scope.getCurrentScope().getSingleton(ChangeFactory.class).create(name);
        Set<String> properties = new TreeSet<>(Scope.getCurrentScope()
                .getSingleton(ChangeFactory.class)
                .getChangeMetaData(change)
                .getParameters()
                .keySet());
        assertThat(xsdAttributes(name))
                .as("attributes of " + name + " in the XSD")
                .isEqualTo(properties);
    }

    private static Set<String> xsdAttributes(String element) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document xsd;
        try (InputStream in = ExtensionRegistrationTest.class
                .getClassLoader()
                .getResourceAsStream(XSD_DIR + "autopartition-latest.xsd")) {
            xsd = factory.newDocumentBuilder().parse(in);
        }
        Map<String, Element> groups = new java.util.HashMap<>();
        NodeList groupNodes = xsd.getElementsByTagNameNS("http://www.w3.org/2001/XMLSchema", "attributeGroup");
        for (int i = 0; i < groupNodes.getLength(); i++) {
            Element group = (Element) groupNodes.item(i);
            if (group.hasAttribute("name")) {
                groups.put(group.getAttribute("name"), group);
            }
        }
        NodeList elements = xsd.getElementsByTagNameNS("http://www.w3.org/2001/XMLSchema", "element");
        for (int i = 0; i < elements.getLength(); i++) {
            Element candidate = (Element) elements.item(i);
            if (candidate.getAttribute("name").equals(element)) {
                Set<String> attributes = new TreeSet<>();
                collect(candidate, groups, attributes);
                return attributes;
            }
        }
        throw new AssertionError("no element " + element + " in the XSD");
    }

    private static void collect(Element parent, Map<String, Element> groups, Set<String> out) {
        NodeList attributes = parent.getElementsByTagNameNS("http://www.w3.org/2001/XMLSchema", "attribute");
        for (int i = 0; i < attributes.getLength(); i++) {
            out.add(((Element) attributes.item(i)).getAttribute("name"));
        }
        NodeList refs = parent.getElementsByTagNameNS("http://www.w3.org/2001/XMLSchema", "attributeGroup");
        for (int i = 0; i < refs.getLength(); i++) {
            Element ref = (Element) refs.item(i);
            if (ref.hasAttribute("ref")) {
                collect(java.util.Objects.requireNonNull(groups.get(ref.getAttribute("ref"))), groups, out);
            }
        }
    }

    private static String read(String resource) throws Exception {
        try (InputStream in = ExtensionRegistrationTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource + " on the class path").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

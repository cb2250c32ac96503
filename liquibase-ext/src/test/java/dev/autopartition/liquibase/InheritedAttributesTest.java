package dev.autopartition.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.ChangeFactory;
import liquibase.change.ChangeParameterMetaData;
import liquibase.change.DatabaseChangeProperty;
import liquibase.serializer.core.string.StringChangeLogSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The change types inherit most attributes from their bases (TableChange, TunedChange, RuleChange); Liquibase's
 * metadata must see every inherited getter and setter as an attribute of the change type, read and write it through
 * them, and serialize (checksum) it.
 */
class InheritedAttributesTest {

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
    void everyAnnotatedGetterIsAnAttributeThatLiquibaseReadsWritesAndSerializes(String name) {
        ChangeFactory factory = Scope.getCurrentScope().getSingleton(ChangeFactory.class);
        Change change = factory.create(name);
        Set<String> declared = new TreeSet<>();
        for (Method method : change.getClass().getMethods()) {
            DatabaseChangeProperty property = method.getAnnotation(DatabaseChangeProperty.class);
            if (property != null
                    && property.isChangeProperty()
                    && method.getName().startsWith("get")) {
                declared.add(Character.toLowerCase(method.getName().charAt(3))
                        + method.getName().substring(4));
            }
        }
        Map<String, ChangeParameterMetaData> parameters =
                factory.getChangeMetaData(change).getParameters();
        assertThat(parameters.keySet())
                .as("the attributes Liquibase sees on " + name + ", inherited ones included")
                .containsExactlyInAnyOrderElementsOf(declared);

        for (ChangeParameterMetaData parameter : parameters.values()) {
            parameter.setValue(change, "v-" + parameter.getParameterName());
        }
        String serialized = new StringChangeLogSerializer().serialize(change, false);
        for (ChangeParameterMetaData parameter : parameters.values()) {
            assertThat(parameter.getCurrentValue(change))
                    .as(name + "." + parameter.getParameterName() + " through its inherited accessors")
                    .isEqualTo("v-" + parameter.getParameterName());
            assertThat(serialized)
                    .as("the serialized form (the checksum's input) of " + name)
                    .contains(parameter.getParameterName() + "=\"v-" + parameter.getParameterName() + "\"");
        }
    }
}

package dev.autopartition.liquibase;

import liquibase.parser.LiquibaseParser;
import liquibase.parser.NamespaceDetails;
import liquibase.parser.core.xml.XMLChangeLogSAXParser;
import liquibase.serializer.LiquibaseSerializer;
import liquibase.serializer.core.xml.XMLChangeLogSerializer;

/** The XML namespace of the change types: prefix {@code autopartition}, schema {@code autopartition-latest.xsd}. */
public final class AutoPartitionNamespaceDetails implements NamespaceDetails {
    @Override
    public int getPriority() {
        return PRIORITY_EXTENSION;
    }

    @Override
    public boolean supports(LiquibaseSerializer serializer, String namespaceOrUrl) {
        return serializer instanceof XMLChangeLogSerializer && ours(namespaceOrUrl);
    }

    @Override
    public boolean supports(LiquibaseParser parser, String namespaceOrUrl) {
        return parser instanceof XMLChangeLogSAXParser && ours(namespaceOrUrl);
    }

    private static boolean ours(String namespaceOrUrl) {
        return AbstractPartitionChange.NAMESPACE.equals(namespaceOrUrl)
                || AbstractPartitionChange.XSD_LATEST.equals(namespaceOrUrl)
                || AbstractPartitionChange.XSD_0_1.equals(namespaceOrUrl)
                || AbstractPartitionChange.XSD_0_2.equals(namespaceOrUrl);
    }

    @Override
    public String getShortName(String namespaceOrUrl) {
        return "autopartition";
    }

    @Override
    public String getSchemaUrl(String namespaceOrUrl) {
        return AbstractPartitionChange.XSD_LATEST;
    }

    @Override
    public String[] getNamespaces() {
        return new String[] {AbstractPartitionChange.NAMESPACE};
    }
}

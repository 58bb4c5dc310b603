package org.mlarouter.treaty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.avro.AssistanceKind;
import org.mlarouter.avro.Instrument;
import org.mlarouter.avro.InstrumentStatus;
import org.mlarouter.avro.TreatyCoverage;

class TreatyTableTest {

    private static final String FRANCE = "{\"counterpartState\": \"FR\", \"counterpartName\": \"France\", \"revision\": 1,"
            + " \"updatedAt\": \"2026-11-23T00:00:00Z\", \"instruments\": [%s]}";
    private static final String TREATY = "{\"id\": \"%s\", \"title\": \"Treaty\", \"type\": \"BILATERAL_TREATY\","
            + " \"covers\": [\"MUTUAL_LEGAL_ASSISTANCE\"], \"measures\": [\"%s\"], \"offenceCategories\": [],"
            + " \"status\": \"IN_FORCE\", \"source\": \"test\"}";

    @Test
    void shouldShipTheTwelveCounterpartsOfTheSeeds() {
        final TreatyTable table = TreatyTable.shipped("KZ");

        assertEquals(List.of("US", "FR", "UZ", "VN", "IT", "GB", "ES", "MC", "HU", "CU", "GR", "MK"),
                table.all().stream().map(TreatyCoverage::getCounterpartState).collect(Collectors.toList()));
        final Instrument france = table.coverage("FR").orElseThrow().getInstruments().get(0);
        assertEquals("KZ-FR-MLA", france.getId());
        assertEquals(List.of(AssistanceKind.MUTUAL_LEGAL_ASSISTANCE), france.getCovers());
        assertEquals(InstrumentStatus.SIGNED, table.coverage("US").orElseThrow().getInstruments().get(0).getStatus());
        assertEquals(java.time.LocalDate.of(2015, 2, 20), table.coverage("US").orElseThrow().getInstruments().get(0).getSignedOn());
        assertEquals(365, table.coverage("UZ").orElseThrow().getInstruments().get(0).getMinRemainingSentenceDays());
        assertTrue(table.all().stream().flatMap(coverage -> coverage.getInstruments().stream())
                .allMatch(instrument -> !instrument.getSource().isBlank()));
        final Instrument vietnam = table.coverage("VN").orElseThrow().getInstruments().get(0);
        assertEquals(java.time.LocalDate.of(2017, 6, 1), vietnam.getSignedOn(), "June 2017, the seed's month");
        assertTrue(vietnam.getSource().contains("to stand for June 2017"), vietnam.getSource());
        // Every fact the seeds do not give says where it comes from: the project's own ids and titles, at least.
        assertTrue(table.all().stream().flatMap(coverage -> coverage.getInstruments().stream())
                .allMatch(instrument -> instrument.getSource().contains("Not from the seeds")), "each source says what is not from the seeds");
        assertTrue(table.all().stream().flatMap(coverage -> coverage.getInstruments().stream()).allMatch(instrument -> instrument.getInForceUntil() == null));
    }

    @Test
    void shouldRejectAnEndBeforeTheStart() {
        final String treaty = String.format(TREATY, "KZ-FR-MLA", "SEARCH")
                .replace("\"source\"", "\"inForceSince\": \"2020-01-01\", \"inForceUntil\": \"2019-12-31\", \"source\"");

        final TreatyTableException error = assertThrows(TreatyTableException.class,
                () -> TreatyTable.parse("t.json", "[" + String.format(FRANCE, treaty) + "]", "KZ"));

        assertEquals(List.of("entry 0 (FR): instrument KZ-FR-MLA: inForceUntil 2019-12-31 is before inForceSince 2020-01-01"), error.problems());
    }

    @Test
    void shouldLoadAFile(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("table.json");
        Files.writeString(file, "[" + String.format(FRANCE, String.format(TREATY, "KZ-FR-MLA", "SEARCH")) + "]");

        final TreatyTable table = TreatyTable.load(file, "KZ");

        assertEquals("France", table.coverage("FR").orElseThrow().getCounterpartName());
    }

    @Test
    void shouldNameTheFileAndPositionOfMalformedJson(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("broken.json");
        Files.writeString(file, "[\n{\"counterpartState\": \"FR\",,}\n]");

        final TreatyTableException error = assertThrows(TreatyTableException.class, () -> TreatyTable.load(file, "KZ"));

        assertTrue(error.getMessage().startsWith(file + ": not valid JSON at line 2"), error.getMessage());
    }

    @Test
    void shouldNameTheEntryAndFieldOfAnUnknownEnumSymbol() {
        final String json = "[" + String.format(FRANCE, String.format(TREATY, "KZ-FR-MLA", "TELEPATHY")) + "]";

        final TreatyTableException error = assertThrows(TreatyTableException.class, () -> TreatyTable.parse("t.json", json, "KZ"));

        assertEquals("t.json: entry 0 (FR): $.instruments[0].measures[0] unknown symbol 'TELEPATHY' of Measure;"
                + " expected one of [SERVICE_OF_DOCUMENTS, TAKING_EVIDENCE, QUESTIONING, SEARCH, SEIZURE, INSPECTION,"
                + " BANK_INFORMATION, CONFISCATION, WITNESS_OR_EXPERT_APPEARANCE, INFORMATION_EXCHANGE, TRANSFER_OF_DETAINED_PERSON]",
                error.getMessage());
    }

    @Test
    void shouldRejectADuplicateInstrumentIdWithinAnEntry() {
        final String json = "[" + String.format(FRANCE, String.format(TREATY, "KZ-FR-MLA", "SEARCH") + ","
                + String.format(TREATY, "KZ-FR-MLA", "SEIZURE")) + "]";

        final TreatyTableException error = assertThrows(TreatyTableException.class, () -> TreatyTable.parse("t.json", json, "KZ"));

        assertEquals(List.of("entry 0 (FR): instrument KZ-FR-MLA: duplicate instrument id"), error.problems());
    }

    @Test
    void shouldRejectABilateralTreatyIdUsedForTwoCounterparts() {
        final String italy = String.format(FRANCE, String.format(TREATY, "KZ-FR-MLA", "SEARCH"))
                .replace("\"FR\"", "\"IT\"").replace("France", "Italy");
        final String json = "[" + String.format(FRANCE, String.format(TREATY, "KZ-FR-MLA", "SEARCH")) + "," + italy + "]";

        final TreatyTableException error = assertThrows(TreatyTableException.class, () -> TreatyTable.parse("t.json", json, "KZ"));

        assertEquals(List.of("entry 1 (IT): instrument KZ-FR-MLA: duplicate instrument id (bilateral treaty already listed under FR)"),
                error.problems());
    }

    @Test
    void shouldReportEveryProblemAtOnce() {
        final String json = "[" + String.format(FRANCE, "").replace("\"FR\"", "\"KZ\"") + ","
                + String.format(FRANCE, "").replace("\"revision\": 1", "\"revision\": -4").replace("France", " ") + ","
                + String.format(FRANCE, "") + ", {\"counterpartState\": \"DE\"}]";

        final TreatyTableException error = assertThrows(TreatyTableException.class, () -> TreatyTable.parse("t.json", json, "KZ"));

        assertEquals(List.of(
                "entry 0 (KZ): counterpartState is the home state KZ",
                "entry 1 (FR): counterpartName is blank",
                "entry 1 (FR): revision -4 is negative",
                "entry 2 (FR): duplicate counterpart FR",
                "entry 3 (DE): $.counterpartName is required"), error.problems());
        assertTrue(error.getMessage().startsWith("t.json: 5 problems:"), error.getMessage());
    }

    @Test
    void shouldRejectATopLevelThatIsNotAnArray() {
        final TreatyTableException error = assertThrows(TreatyTableException.class, () -> TreatyTable.parse("t.json", "{}", "KZ"));

        assertEquals("t.json: must be a JSON array of TreatyCoverage objects", error.getMessage());
    }

    @Test
    void shouldRejectConditionsThatMeanNothingAndDatesOutOfOrder() {
        final String treaty = String.format(TREATY, "KZ-FR-MLA", "SEARCH")
                .replace("\"source\"", "\"minRemainingSentenceDays\": 365, \"signedOn\": \"2020-01-01\", \"inForceSince\": \"2019-01-01\", \"source\"");

        final TreatyTableException error = assertThrows(TreatyTableException.class,
                () -> TreatyTable.parse("t.json", "[" + String.format(FRANCE, treaty) + "]", "KZ"));

        assertEquals(List.of(
                "entry 0 (FR): instrument KZ-FR-MLA: inForceSince 2019-01-01 is before signedOn 2020-01-01",
                "entry 0 (FR): instrument KZ-FR-MLA: minRemainingSentenceDays is set but the instrument does not cover TRANSFER_OF_SENTENCED_PERSON"),
                error.problems());
    }
}

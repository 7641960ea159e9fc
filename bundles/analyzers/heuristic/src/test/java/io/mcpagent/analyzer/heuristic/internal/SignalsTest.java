package io.mcpagent.analyzer.heuristic.internal;

import static io.mcpagent.analyzer.heuristic.internal.Analyzers.analyze;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;

/** Each kind of signal, alone, moves the analysis the way the labelling guide says. */
class SignalsTest {
    /** A capability set as a test table writes it: comma-separated names, or "-" for none. */
    private static Set<String> capabilitySet(String listed) {
        return listed.equals("-") ? Set.of() : Set.of(listed.split(","));
    }


    @Nested
    class TypeCues {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "Refactor the parser module to remove the duplicated branches | CODING",
                "Translate this paragraph into German | CONTENT_CREATION",
                "Deduplicate the rows of customers.csv | DATA_PROCESSING",
                "Schedule a nightly backup of the uploads folder | AUTOMATION",
                "Reply to Maria's email and thank her for the invitation | COMMUNICATION",
                "Research the history of the Hanseatic League | RESEARCH",
                "Analyse why churn rose in the last quarter | ANALYSIS",
                "Tell me a joke about penguins | GENERAL"})
        void theStrongestKindOfWorkNamesTheType(String task, TaskType type) {
            assertEquals(type, analyze(task).type(), () -> analyze(task).reasoning());
        }

        @Test
        void inflectedAndAmericanFormsCountLikeTheBaseWord() {
            assertEquals(TaskType.CONTENT_CREATION, analyze("Summarizing the attached minutes").type());
            assertEquals(TaskType.CODING, analyze("Debugging a flaky login handler").type());
        }

        @Test
        void severalKindsOfWorkInSequenceAreMultiDomain() {
            TaskAnalysis analysis = analyze("Research the top three CRM vendors, write a comparison report and "
                    + "email it to the sales team");
            assertEquals(TaskType.MULTI_DOMAIN, analysis.type());
            assertTrue(analysis.reasoning().startsWith("multi_domain: "), analysis.reasoning());
        }

        @Test
        void aTaskWithoutCuesIsGeneral() {
            TaskAnalysis analysis = analyze("Blorp the quux, please");
            assertEquals(TaskType.GENERAL, analysis.type());
            assertEquals(Set.of(), analysis.requiredCapabilities());
        }
    }

    @Nested
    class CapabilityCues {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "Open a pull request on GitHub for the fix | code_repository",
                "Run a SQL query against the orders database | database_query",
                "Store the session token in Redis | key_value",
                "Remember that I prefer window seats | memory",
                "Post the release notes to the team Slack channel | messaging",
                "Find the nearest pharmacy and the directions to it | maps",
                "What time is it in Tokyo right now? | time",
                "Think step by step about this logic puzzle | reasoning",
                "Check the Grafana dashboard for latency spikes | monitoring",
                "Upload the backups to the S3 bucket | cloud_storage",
                "Scale the Kubernetes deployment to five pods | cloud_infrastructure",
                "Generate an image of a lighthouse at dawn | image_generation",
                "Refund the last Stripe charge of this customer | payments",
                "Add the missing cases to the pytest suite and run the tests | testing",
                "Search the web for reviews of the new phone | web_search",
                "Fill out the registration form in the browser | browser_automation",
                "Summarise the PDF in our Google Drive | documents",
                "Look up the API docs of the requests library | documentation",
                "Search our Elasticsearch index for refund complaints | full_text_search",
                "Add the new supplier to the knowledge graph with its relations | knowledge_graph"})
        void aCueNamesItsCapability(String task, String capability) {
            TaskAnalysis analysis = analyze(task);
            assertTrue(analysis.requiredCapabilities().contains(capability),
                    () -> capability + " missing: " + analysis.reasoning());
        }

        @Test
        void capabilitiesComeOnlyFromTheCatalogVocabulary() {
            Set<String> vocabulary = new java.util.HashSet<>();
            for (Capability capability : Capability.values()) {
                vocabulary.add(capability.id());
            }
            TaskAnalysis analysis = analyze("Scrape https://example.com, save it to out.json, email bob@example.com, "
                    + "post in #ops, update the Notion page, check Sentry and deploy to AWS");
            assertTrue(analysis.requiredCapabilities().size() >= 6, analysis.reasoning());
            assertTrue(vocabulary.containsAll(analysis.requiredCapabilities()), analysis.requiredCapabilities()::toString);
        }

        @Test
        void aWeakCueCountsOnlyWhenNothingNamesASource() {
            assertEquals(Set.of("web_search"), analyze("Search for the latest release of Kotlin").requiredCapabilities());
            Set<String> indexed = analyze("Search our docs index for the retry policy").requiredCapabilities();
            assertTrue(indexed.contains("full_text_search"), indexed::toString);
            assertFalse(indexed.contains("web_search"), indexed::toString);
        }
    }

    @Nested
    class Shapes {
        @Test
        void aUrlIsFetchedAndItsWordsAreNoCues() {
            TaskAnalysis analysis = analyze("Summarise https://example.com/news/github-database-slack");
            assertEquals(Set.of("web_fetch"), analysis.requiredCapabilities(), analysis.reasoning());
            assertTrue(analysis.reasoning().contains("web_fetch (a URL)"), analysis.reasoning());
        }

        @Test
        void aPathIsReadAndAFileNameAfterAWritingVerbIsWritten() {
            assertEquals(Set.of("file_read"), analyze("List the largest entries under /var/tmp/x").requiredCapabilities());
            TaskAnalysis written = analyze("Write a haiku about autumn to poem.md");
            assertEquals(Set.of("file_write"), written.requiredCapabilities(), written.reasoning());
            assertEquals(Set.of("file_read"), analyze("Count the lines of notes.txt").requiredCapabilities());
        }

        @Test
        void addressesChannelsAndIssueNumbersHaveTheirCapabilities() {
            assertTrue(analyze("Forward this to ana@example.org").requiredCapabilities().contains("messaging"));
            assertTrue(analyze("Post the summary in #incidents").requiredCapabilities().contains("messaging"));
            assertTrue(analyze("Close #4711 with a short comment").requiredCapabilities().contains("code_repository"));
        }
    }

    @Nested
    class Negation {
        @Test
        void aNegatedCueIsRuledOut() {
            TaskAnalysis plain = analyze("Answer from what you know and search the web");
            TaskAnalysis negated = analyze("Answer from what you know, without searching the web");
            assertTrue(plain.requiredCapabilities().contains("web_search"), plain.reasoning());
            assertFalse(negated.requiredCapabilities().contains("web_search"), negated.reasoning());
            assertTrue(negated.reasoning().contains("ruled out by negation: web_search"), negated.reasoning());
        }

        @Test
        void contractionsNegateToo() {
            TaskAnalysis analysis = analyze("Draft the apology but don't email the customer");
            assertFalse(analysis.requiredCapabilities().contains("messaging"), analysis.reasoning());
        }

        @Test
        void aNegationEndsWithItsClause() {
            TaskAnalysis analysis = analyze("Do not guess. Search the web for the answer");
            assertTrue(analysis.requiredCapabilities().contains("web_search"), analysis.reasoning());
        }
    }

    @Nested
    class PatternsAndSteps {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "Summarise this paragraph in one sentence | direct",
                "Get the weather forecast for Paris, Berlin and Rome | parallel",
                "Check each of these five URLs for broken links | parallel",
                "Route this support ticket to the right team | router",
                "Act as a help desk with triage, billing and technical agents that hand off to each other | swarm",
                "Write a cover letter and keep improving it until it is excellent | evaluator-optimizer",
                "Read the files in this folder, then write a summary to summary.md | orchestrator",
                // a cast of three roles is a swarm; the same list of things is parallel work
                "Stage a pitch rehearsal: a founder, a skeptical investor and a mentor agent trade questions | swarm",
                "Get the opening hours of the Louvre, the Prado and the Uffizi | parallel",
                // a review followed by a rework is a loop, even when its steps are counted too
                "Translate the leaflet into Dutch, then review it for tone and fix anything stiff | evaluator-optimizer",
                // the handler named back, and a request sent on to one agent of ours
                "Find out which of our two carriers lost the parcel and file the claim with that one | router",
                "Send this question to the visa agent: can I work on a student permit? | router",
                // the answer sent back to the user is no hand-over
                "Summarise the report and send me the summary | direct",
                "Search our docs index for the page on SSO setup and send me the link | direct",
                "Read the release notes and forward them to me | direct",
                "Forward this ticket to the billing team | router",
                // a note written for a hand-over is a text
                "Write a handoff note for the weekend on-call about the flaky backup job | direct",
                // a list under a verb that writes one text is that text's parts
                "Proofread this abstract: spelling, commas and hyphens only | direct"})
        void structureAndCuesPickThePattern(String task, String pattern) {
            TaskAnalysis analysis = analyze(task);
            assertEquals(pattern, analysis.recommendedPattern(), analysis.reasoning());
        }

        @Test
        void aRoleAfterAVerbNamesNoFieldOfTheVerb() {
            assertEquals(Set.of("messaging"), analyze("Send it to the manager").requiredCapabilities());
            assertEquals(Set.of(), analyze("Ask the database expert about indexes").requiredCapabilities());
        }

        @Test
        void thingsWeighedUpWithNoSourceOfOursAreLookedUpOnTheWeb() {
            assertEquals(Set.of("web_search"),
                    analyze("Compare the warranty terms of Bosch, Makita and DeWalt drills").requiredCapabilities());
            // material in the prompt is no lookup
            assertEquals(Set.of(), analyze("Compare the three proposals pasted below on cost, risk and speed")
                    .requiredCapabilities());
        }

        @Test
        void eachClauseSegmentWithAWorkVerbIsOneStep() {
            assertEquals(1, analyze("Translate the menu into Spanish").estimatedSteps());
            TaskAnalysis chain = analyze("Pull the sales data from the database, clean it, build a chart, then "
                    + "write a report and send it to the board");
            assertEquals(5, chain.estimatedSteps(), chain.reasoning());
            assertEquals("orchestrator", chain.recommendedPattern());
        }

        @Test
        void moreStepsAndCriticalWorkRaiseTheComplexity() {
            assertEquals(Complexity.SIMPLE, analyze("What is the capital of Peru?").complexity());
            Complexity chain = analyze("Pull the sales data from the database, clean it, build a chart, then write "
                    + "a report and send it to the board").complexity();
            assertTrue(chain.compareTo(Complexity.MODERATE) > 0, chain::toString);
            assertEquals(Complexity.EXPERT, analyze("Design and run a zero-downtime migration of our production "
                    + "payments platform to a multi-region Kubernetes architecture, with a rollback plan, "
                    + "compliance review and updated runbooks").complexity());
        }

        @Test
        void theReasoningNamesTheDecidingSignals() {
            TaskAnalysis analysis = analyze("Refactor the payment module, add unit tests, then open a pull request");
            String reasoning = analysis.reasoning();
            assertTrue(reasoning.startsWith("coding: 'refactor'"), reasoning);
            assertTrue(reasoning.contains("orchestrator: 3 dependent steps ('refactor', 'add', 'open')"), reasoning);
            assertTrue(reasoning.contains("code_repository ('pull request')"), reasoning);
        }

        @Test
        void aCueWrittenTwiceIsQuotedOnce() {
            // "email" the verb and "email" the noun are two cues of one kind of work: one quote says it
            String reasoning = analyze("compare the pricing of Notion, Coda and Confluence and email me a table")
                    .reasoning();
            assertTrue(reasoning.contains("communication: 'email')"), reasoning);
        }
    }

    @Nested
    class SentenceStructure {
        @Test
        void quotedMaterialIsTheObjectNotAnInstruction() {
            TaskAnalysis analysis = analyze("Post in #ops: \"Deploy paused until 3pm, search the web before you merge\"");
            assertEquals(Set.of("messaging"), analysis.requiredCapabilities(), analysis.reasoning());
            assertEquals("direct", analysis.recommendedPattern(), analysis.reasoning());
        }

        @Test
        void whatATaskIsAboutIsATopicNotATool() {
            assertEquals(Set.of(), analyze("Tell me a joke about Kubernetes and Redis").requiredCapabilities());
            assertEquals(Set.of("file_write"), analyze("Write a haiku about Redis to poem.md").requiredCapabilities());
        }

        @Test
        void verbOnlyCuesCountWhenTheWordOpensItsSegment() {
            assertTrue(analyze("Email the summary to the team").requiredCapabilities().contains("messaging"));
            assertFalse(analyze("Translate the onboarding email into Spanish").requiredCapabilities().contains("messaging"));
            // "emails" and "removed" are no commands even where a verb would stand
            TaskAnalysis export = analyze("Export the customers table to customers.csv, emails lowercased");
            assertFalse(export.requiredCapabilities().contains("messaging"), export.reasoning());
            assertEquals(1, export.estimatedSteps(), export.reasoning());
        }

        @Test
        void aVetoRulesACapabilityOutInItsClause() {
            assertEquals(Set.of(), analyze("Write a Postgres query that lists users").requiredCapabilities());
            assertEquals(Set.of("database_query"), analyze("Query the orders database for refunds").requiredCapabilities());
        }

        @Test
        void testsAreRunAndPicturesMadeBeforeTheyNeedTools() {
            assertEquals(Set.of(), analyze("Write unit tests for the slugify helper").requiredCapabilities());
            assertEquals(Set.of("testing"), analyze("Run the unit tests of the parser").requiredCapabilities());
            assertEquals(Set.of("image_generation"), analyze("Design a logo for our bakery").requiredCapabilities());
            assertEquals(Set.of(), analyze("Describe the logo on this page").requiredCapabilities());
        }

        @Test
        void aVerbThatEditsAFileReadsAndWritesIt() {
            assertEquals(Set.of("file_read", "file_write"), analyze("Fix the typo in notes.md").requiredCapabilities());
            assertEquals(Set.of("file_read"), analyze("Count the words in notes.md").requiredCapabilities());
            assertEquals(Set.of("file_read", "file_write"),
                    analyze("Read notes.md and write the summary to summary.md").requiredCapabilities());
        }

        @Test
        void alternativesAreOptionsAndAListOfNumbersIsData() {
            TaskAnalysis choice = analyze("Decide whether billing, support or sales should own this ticket");
            assertEquals("router", choice.recommendedPattern(), choice.reasoning());
            assertTrue(choice.reasoning().contains("router: 3 options"), choice.reasoning());
            TaskAnalysis data = analyze("Average these response times: 120, 98, 143, 87 and 300");
            assertEquals("direct", data.recommendedPattern(), data.reasoning());
        }

        @Test
        void numbersCountItemsButAmountsDatesAndYearsDoNot() {
            assertTrue(analyze("Check these five URLs for broken links").reasoning().contains("5 independent items"));
            TaskAnalysis amounts = analyze("Refund $1.10 to the 2023 customers");
            assertFalse(amounts.reasoning().contains("independent items"), amounts.reasoning());
        }
    }

    /** Products, data words and files named in passing: material, names, drafts and carried files need no tool. */
    @Nested
    class PassingMentions {
        private Set<String> capabilities(String task) {
            return analyze(task).requiredCapabilities();
        }

        @Test
        void materialInThePromptIsNoSourceToConsult() {
            assertEquals(Set.of(), capabilities("Summarise the Grafana alert history pasted below in three bullets"));
            assertEquals(Set.of(), capabilities(
                    "Turn the support transcripts pasted below into a three-column table of issue, product and fix"));
            // a number after "above" is a threshold, not material; a preposition after "listed" points elsewhere
            assertEquals(Set.of("monitoring"),
                    capabilities("Set up a Datadog monitor that alerts when checkout p95 latency stays above 700 ms"));
            assertTrue(capabilities("Scrape the prices from each shop listed in shops.txt and load them into the "
                    + "prices table in Postgres").contains("database_query"));
            // a source named after the material, or the material run or edited against one, is still consulted
            assertEquals(Set.of("database_query"),
                    capabilities("Tune the slow query below until it runs under 100 ms on the reporting database"));
        }

        @Test
        void aLoneWordBetweenListSeparatorsIsAnItemNotAVerb() {
            assertEquals(Set.of("monitoring"),
                    capabilities("Show me error counts for login, search and billing from Datadog over the last day"));
        }

        @Test
        void aCommonWordOnTheRightOfASlashStillMakesARepositoryName() {
            assertEquals(Set.of("code_repository"),
                    capabilities("Search acme/web and acme/mobile for calls to the old logger"));
        }

        @Test
        void whatTheUserWillDoThemselvesNeedsNoTool() {
            assertEquals(Set.of(),
                    capabilities("Draft a short email to my landlord about the broken boiler; I'll send it myself"));
            assertEquals(Set.of("messaging"), capabilities("I want you to email the landlord about the broken boiler"));
        }

        @Test
        void aWordJoinedToAnEnvironmentOrRegionIsAName() {
            assertEquals(Set.of("cloud_storage"),
                    capabilities("Which of the buckets photos-prod, logs-staging and logs-eu are public?"));
        }

        @Test
        void anEditVerbWithNoObjectChangesNoFileOfItsClause() {
            assertEquals(Set.of("file_read"), capabilities(
                    "Tune the matching rules: run them on leads.csv, check the matches against truth.csv, adjust, repeat"));
        }

        @Test
        void aFileCarriedElsewhereIsNotOpened() {
            assertEquals(Set.of("cloud_storage", "file_read"),
                    capabilities("Upload ~/exports/board-deck.pdf to the s3 bucket acme-board-archive"));
            assertEquals(Set.of("file_read", "file_write"),
                    capabilities("Move every PDF in ~/Downloads into ~/Documents/receipts"));
            assertEquals(Set.of("documents", "file_read"),
                    capabilities("Upload ~/exports/board-deck.pdf to the Finance folder in Google Drive"));
        }

        @Test
        void aKindOfFileIsWrittenOnlyWhereTheVerbWritesOrPutsIt() {
            assertEquals(Set.of("file_read", "file_write"),
                    capabilities("Pull the prices out of ~/quotes and save them as a new CSV"));
            assertEquals(Set.of(), capabilities("Turn the pasted order list below into CSV"));
        }

        @Test
        void aTableThatIsMadeIsTheAnswersShape() {
            assertEquals(Set.of(), capabilities("Put together a budget table for the school trip to York"));
            assertEquals(Set.of("database_query"), capabilities("Create a table for the trip budget in Postgres"));
        }

        @Test
        void aPageNamedAnswersWhatAWeakWebCueWouldSearchFor() {
            assertEquals(Set.of("web_fetch"), capabilities("today's price and stock of https://shop.example.com/item/4821?"));
            // The rules find the search; the capability model drops it (similar tasks 0.14): one of its misses.
            String text = "Fetch https://shop.example.com/item/4821 and look up what other shops ask for the same kettle";
            assertTrue(CapabilityModelTraining.rulesOnly(SignalTables.lexicon(), text).requiredCapabilities()
                    .contains("web_search"));
        }

        @Test
        void wordsThatNameAToolOnlyInSomeSenses() {
            assertEquals(Set.of("payments"), capabilities("Check the latest invoices in Stripe for the Okafor account"));
            assertEquals(Set.of("maps"), capabilities("Driving time from our Leeds and York warehouses to the client in Hull?"));
            assertEquals(Set.of("database_query"), capabilities("Count last week's sign-ups in the warehouse"));
            assertEquals(Set.of(), capabilities("Route every incoming ticket to billing, shipping or returns"));
            assertEquals(Set.of(), capabilities("Write the release notes for the deploy that went out last night"));
            assertEquals(Set.of("cloud_infrastructure"), capabilities("Deploy the new build to the staging Kubernetes cluster"));
            assertEquals(Set.of("full_text_search"), capabilities("Run a few test queries against the new search index"));
            assertEquals(Set.of(), capabilities("The intake form on our website is confusing; suggest clearer field labels"));
            assertEquals(Set.of("browser_automation"), capabilities("Get the Lighthouse score of https://example.org above 90"));
            assertEquals(Set.of("web_search"),
                    capabilities("What are the visa rules for a Canadian visiting Japan for three weeks?"));
            assertEquals(Set.of("database_query"),
                    capabilities("Dry-run the migration script against the staging database"));
            assertEquals(Set.of(), capabilities("Write a short essay arguing that Kafka is overkill for most startups"));
        }
    }

    /** Fifth round: subjects, items and data named beside a tool's words, and loops, choices and casts. */
    @Nested
    class SubjectsAndShapes {
        private Set<String> capabilities(String task) {
            return analyze(task).requiredCapabilities();
        }

        private String pattern(String task) {
            return analyze(task).recommendedPattern();
        }

        @Test
        void faresFoundAreLookedUpOnTheWeb() {
            assertEquals(Set.of("web_search"),
                    capabilities("Find a cheap flight from Berlin to Lisbon in March and add it to my calendar"));
            assertEquals(Set.of("time"), capabilities("My flight lands at 6pm, what time is that in Tokyo?"));
        }

        @Test
        void aPlaceOfTheUsersOwnOrBeforeANounIsNoPlaceToFind() {
            assertEquals(Set.of(),
                    capabilities("Set up a concierge chat for our hotel guests with a spa agent and a billing agent"));
            assertEquals(Set.of(), capabilities("Ask the pharmacy receptionist agent to greet the customer"));
            assertEquals(Set.of("web_search"), capabilities("Check typical hotel prices in Ghent and Bruges for May"));
            assertEquals(Set.of("maps", "web_search"),
                    capabilities("Find a hotel near the old harbour in Valletta for two nights"));
        }

        @Test
        void anAlertOrIncidentRoutedPlayedOutOrReadOffAPageIsNoMonitoringNeed() {
            assertEquals(Set.of("messaging"), capabilities(
                    "Page whoever owns this alert: disk warnings to the storage team, the rest to #infra"));
            assertEquals(Set.of(), capabilities("Simulate a phishing incident where a CISO, a comms lead and an "
                    + "attacker agent react to each other; give me the script"));
            assertEquals(Set.of("web_fetch"),
                    capabilities("Fetch https://status.example-cloud.net and tell me whether any incidents are open"));
            assertEquals(Set.of("monitoring"), capabilities("Add an alert at 90% disk on the ledger hosts"));
            assertEquals(Set.of("monitoring"),
                    capabilities("Check the incidents in PagerDuty from last night and summarise them"));
        }

        @Test
        void alertingPeopleOverAChannelIsAMessage() {
            assertEquals(Set.of("cloud_storage", "database_query", "messaging"), capabilities(
                    "Back up the billing database to s3://acme-backups/billing/ and alert #platform on Slack if it fails"));
        }

        @Test
        void aGeneralQuestionAboutAProductIsAnsweredFromKnowledge() {
            assertEquals(Set.of(), capabilities("how do kafka consumer groups rebalance when a member leaves"));
            assertEquals(Set.of("monitoring"),
                    capabilities("why did our Kafka consumer lag spike last night? check Grafana"));
            assertEquals(Set.of("key_value"), capabilities("How many keys are in the Redis cache right now?"));
            assertEquals(Set.of(), capabilities(
                    "Off the top of your head, what is the difference between Redis streams and Kafka topics?"));
        }

        @Test
        void aProductPricedIsLookedUpOnTheWeb() {
            assertEquals(Set.of("web_search"),
                    capabilities("Compare the free tiers of Airtable, Notion and Coda for a team of eight"));
            assertEquals(Set.of("database_query", "file_read"), capabilities(
                    "Compare our Postgres storage costs this month with last month's invoice in ~/billing/june.csv"));
            assertEquals(Set.of("web_search"), capabilities("Datadog APM list price per host?"));
            // a verb beside the price still acts: the email is sent, not priced
            assertEquals(Set.of("web_search", "messaging"), capabilities(
                    "Look up the current price of the Fairphone 5 at three Dutch shops and email me the cheapest"));
            assertEquals(Set.of("web_search", "messaging"), capabilities("Find the price and email Anna"));
        }

        @Test
        void aTableOpenedByAOrOneIsTheAnswersShape() {
            assertEquals(Set.of(), capabilities("Summarise the three survey threads below into a short table"));
            assertEquals(Set.of("database_query"), capabilities(
                    "Run the nightly revenue query on the EU and US read replicas and merge the totals into one table"));
        }

        @Test
        void aListItemOfNounsNamesNothingAsAVerb() {
            assertEquals(Set.of("key_value"),
                    capabilities("Check the TTLs for the login, cart and search caches in Redis"));
        }

        @Test
        void aLookupVerbSearchesTheSourceItsClauseNames() {
            assertEquals(Set.of("documentation"),
                    capabilities("Look up how the Django and Flask docs describe blueprints and compare them"));
            assertEquals(Set.of("documentation"),
                    capabilities("Check the Slack, Discord and Zulip API docs for message length limits"));
        }

        @Test
        void aPlaceOnTheMapOrATimeAnswersItsOwnDetails() {
            assertEquals(Set.of("maps"), capabilities("Opening hours of the bakery nearest to Plaza Mayor, Madrid?"));
            assertEquals(Set.of("time"), capabilities("Is it currently business hours in Wellington?"));
            assertEquals(Set.of("time"), capabilities("What's the date 45 days from today?"));
        }

        @Test
        void wordsOfGamesAndPicturesThatAreNoMessages() {
            assertEquals(Set.of(),
                    capabilities("Let's play D&D tonight: you're the DM and two agents play my companions"));
            assertEquals(Set.of("image_generation"), capabilities("Design a Slack emoji of a sleepy llama for our team"));
            assertEquals(Set.of(), capabilities("Classify this log line and send it to the right sink"));
        }

        @Test
        void routesAppendsAndCodeCheckedAgainstData() {
            assertEquals(Set.of("monitoring"),
                    capabilities("Set up a Prometheus alert that fires when /api/checkout p99 stays above 900 ms"));
            assertEquals(Set.of("file_write"), capabilities("Append today's meeting notes (below) to journal/meetings.md"));
            assertEquals(Set.of("file_read"),
                    capabilities("Refine my date regex until every line in samples/dates.txt parses"));
            assertEquals(Set.of("file_read", "file_write"),
                    capabilities("Tweak scripts/dedupe.py until its output matches expected.csv"));
        }

        @Test
        void refundsCountedInADatabaseAreRows() {
            assertEquals(Set.of("database_query"),
                    capabilities("Query the payments table: how many refunds were issued on Monday?"));
        }

        @Test
        void weakMapsCuesNeedALookup() {
            assertEquals(Set.of("maps"), capabilities("Drive times from Ghent to Lille, Lyon and Basel?"));
            assertEquals(Set.of(), capabilities("Tidy the customer list below: one contact per line, postcode last"));
            assertEquals(Set.of("maps"), capabilities("Find the postcode for 10 Downing Street"));
            assertEquals(Set.of(), capabilities("Rate the two flat offers below on rent, size and commute"));
            assertEquals(Set.of(), capabilities("Turn these workshop notes into a journey map and a list of pain points"));
            assertEquals(Set.of("maps"), capabilities("Find the nearest bike shop on the map to Vondelpark"));
        }

        @Test
        void aReleaseOfAProductIsTheSubjectUnlessItIsUpgradedTo() {
            assertEquals(Set.of("web_search"),
                    capabilities("Which Grafana 10 release first shipped the new alerting UI? look it up"));
            assertEquals(Set.of("key_value"), capabilities("Plan the Redis 6 to 7 upgrade on our cache nodes"));
        }

        @Test
        void whatTheUserGaveBeforeAndTheHourAtAPlace() {
            assertEquals(Set.of("memory"), capabilities("What's the door code I gave you for the studio?"));
            assertEquals(Set.of("time"), capabilities("It's 10pm in Lisbon; is it too late to call my cousin in Lima?"));
        }

        @Test
        void whatARoleDoesCanBeALookup() {
            assertEquals(Set.of("database_query", "web_search"), capabilities("a support desk with a returns agent "
                    + "that checks the order in our Postgres database and a research agent who looks things up online"));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "script: backend, frontend and QA agents arguing over a failed release | swarm",
                "Mock negotiation: a buyer, a supplier and a mediator take turns over the contract price | swarm",
                "vet or dog trainer? my puppy keeps biting the lead | router",
                "Billing questions go to the finance agent, login problems to the support agent; this one: I was charged "
                        + "twice | router",
                "Tweak scripts/dedupe.py until its output matches expected.csv | evaluator-optimizer",
                "Rewrite my dating profile bio, a bit warmer each round | evaluator-optimizer",
                "Cut over the orders service to the new cluster with zero downtime | orchestrator"})
        void castsChoicesLoopsAndStagedChanges(String task, String expected) {
            assertEquals(expected, pattern(task), () -> analyze(task).reasoning());
        }
    }

    /** Rule round seven: the families found on the second blind batch. */
    @Nested
    class SeventhRound {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                // places found by where they are
                "find me a cheap hostel near the harbour in Split | maps,web_search",
                // a verb's veto holds only where no later word names the tool
                "map walking routes between the three museums I want to see in Oslo | maps",
                "map the old status codes to the new ones in this enum | -",
                // a role that looks something up
                "a support desk where a researcher checks the customer's company online before the sales agent replies "
                        + "| web_search",
                // docs named before an index are what it holds
                "look in our docs search index for the page on SSO setup | full_text_search",
                // a file someone else put somewhere is read
                "my accountant sent the statement as ~/Downloads/statement.csv, total the fees in it | file_read",
                // a general question that asks why or for a difference needs no tool
                "what is the difference between Redis and Memcached for session storage? | -",
                "whats a write-ahead log and why does Postgres need one? | -",
                // single-quoted text is material
                "translate 'the Postgres backup finished, see the S3 bucket' into Spanish | -",
                // a webhook is code that receives a product's events
                "fix our Stripe webhook handler so it stops double-processing events | -"})
        void capabilitiesOfPlacesRolesIndexesFilesQuestionsQuotesAndWebhooks(String task, String expected) {
            assertEquals(capabilitySet(expected), analyze(task).requiredCapabilities(), () -> analyze(task).reasoning());
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "convert every CSV in data/raw/ to Parquet | parallel",
                "summarise each chapter file in ~/book/drafts/ in two lines | parallel"})
        void eachItemOfACollectionNamedByItsPlaceIsHandledAlike(String task, String expected) {
            assertEquals(expected, analyze(task).recommendedPattern(), () -> analyze(task).reasoning());
        }
    }

    /** Rule round eight: the families found on the third blind batch. */
    @Nested
    class EighthRound {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                // tests that pass were run
                "keep fixing the date parser until tests/test_dates.py passes | file_read,file_write,testing",
                // "query" gives way to the knowledge graph its clause names
                "query our team knowledge graph for everyone who reports to Dana | knowledge_graph",
                // a bare route is code's as much as a map's
                "write a Flask route that returns the current user's profile as JSON | -",
                // product shots are pictures
                "generate three product shots of the new mug on a kitchen table | image_generation",
                // accessibility audits are tests
                "run an axe accessibility audit on the signup page and list the failures | testing",
                // mail folders are no local files
                "move each email in the support inbox to the matching folder | messaging",
                // a scene played out uses no tools
                "role play a tough Stripe sales call so I can practise my pitch | -",
                "tabletop exercise: our AWS root keys leaked on GitHub, the agents react as it unfolds | -"})
        void capabilitiesOfTestsGraphsRoutesShotsAuditsMailFoldersAndScenes(String task, String expected) {
            assertEquals(capabilitySet(expected), analyze(task).requiredCapabilities(), () -> analyze(task).reasoning());
        }

        @Test
        void aListAfterAColonThatEndsOneActGivesThatThingsDetails() {
            String task = "add a row to the Suppliers sheet: Kettle and Co, net 30, ships Mondays";
            assertEquals("direct", analyze(task).recommendedPattern(), () -> analyze(task).reasoning());
        }
    }

    /** Rule round nine: pattern families of the newest files. */
    @Nested
    class NinthRound {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                // a puzzle's own objects are its facts, no items to run in parallel
                "think step by step: three boxes are labelled apples, oranges and mixed, all wrong; which box do you "
                        + "open first? | direct",
                // a second pass over the reworked text loops
                "rewrite this cover letter to sound warmer, then check it again against the job ad | evaluator-optimizer"})
        void puzzlesAndSecondPasses(String task, String expected) {
            assertEquals(expected, analyze(task).recommendedPattern(), () -> analyze(task).reasoning());
        }

        @Test
        void savingTheResultIsNoFurtherStep() {
            String task = "make an image of a lighthouse at dawn and save it as header.png";
            assertEquals(1, analyze(task).estimatedSteps(), () -> analyze(task).reasoning());
        }
    }

    /** Everyday tasks tried on the command line, as a new user would write them. */
    @Nested
    class EverydayTasks {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                // a checklist looked up, made or sent is a thing, not a round of checking
                "Search the wiki for the onboarding checklist | direct",
                "Email the new hire the onboarding checklist | direct",
                // checking against one and revising still loops
                "Draft the release notes, check them against our style checklist and revise until they pass "
                        + "| evaluator-optimizer",
                // best practices asked about are standards, neither a round of checking nor a rehearsal
                "What are the best practices for securing a Kubernetes cluster? | direct",
                // a loop in the passive
                "Write a blog post about OSGi, then have it reviewed and improved until it is good "
                        + "| evaluator-optimizer",
                "Improve this Dockerfile against Docker best practices, iterate until nothing is left to fix "
                        + "| evaluator-optimizer"})
        void aChecklistOrBestPracticesAloneAreNoLoop(String task, String expected) {
            assertEquals(expected, analyze(task).recommendedPattern(), () -> analyze(task).reasoning());
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "write a Python script that renames all jpg files in a folder by date | CODING",
                "write a bash script to back up my home directory | CODING",
                "write a podcast script where a chef and a farmer argue about butter | CONTENT_CREATION"})
        void aScriptInAProgrammingLanguageIsCode(String task, TaskType type) {
            assertEquals(type, analyze(task).type(), () -> analyze(task).reasoning());
        }

        @Test
        void theWordsOfTheTaskOverruleTheCuesTypeAndComplexityAndTheReasoningSaysSo() {
            String tests = "Run the integration tests and post the results in #qa on Slack";
            assertEquals(TaskType.CONTENT_CREATION, rulesOnly(tests).type(), "the cue 'post'");
            TaskAnalysis corrected = analyze(tests);
            assertEquals(TaskType.CODING, corrected.type(), corrected.reasoning());
            assertTrue(corrected.reasoning().startsWith(
                    "coding by the words of the task (the cues said content_creation: 'post'); "), corrected.reasoning());

            String chart = "query the postgres database for last month's sales and make a chart";
            assertEquals(Complexity.SIMPLE, rulesOnly(chart).complexity());
            TaskAnalysis charted = analyze(chart);
            assertEquals(Complexity.MODERATE, charted.complexity(), charted.reasoning());
            assertTrue(charted.reasoning().contains("; moderate (by the words of the task, the cues said simple; 2 "
                    + "steps)"), charted.reasoning());
        }

        private static TaskAnalysis rulesOnly(String task) {
            return CapabilityModelTraining.rulesOnly(SignalTables.lexicon(), task);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "Fix the failing tests in the repo and open a PR | code_repository,testing",
                "Fix the failing unit tests in acme/shop and open a PR | code_repository,testing",
                // the user's mail read
                "read my latest emails and tell me which need a reply | messaging",
                // how busy machines are is watched
                "Monitor the CPU usage of our production servers and alert me on Slack when it exceeds 90% "
                        + "| messaging,monitoring"})
        void failingTestsAreRunAsOneIsAndTheLatestEmailsAreMail(String task, String expected) {
            assertEquals(capabilitySet(expected), analyze(task).requiredCapabilities(), () -> analyze(task).reasoning());
        }
    }
}
